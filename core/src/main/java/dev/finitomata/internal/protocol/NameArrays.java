package dev.finitomata.internal.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * INTERNAL API. A map from FSM names as it is stored by the durable indexes ({@link WakesChanged}, the cluster's
 * sleep registers): the names in one array and their values in another, in the same order. Jackson reads a map's keys
 * as field names and interns each one, which at millions of names took longer than a recovery may; array elements
 * are plain strings.
 */
public final class NameArrays {

    private NameArrays() {
    }

    /** The names of {@code map}, in its order (its values iterate in the same order while it is not changed). */
    public static String[] names(Map<String, ?> map) {
        return map.keySet().toArray(String[]::new);
    }

    /**
     * {@code names[i]} to {@code value.apply(i)}, for {@code values} values. @throws IllegalArgumentException naming
     * {@code what} if there are not as many values as names
     */
    public static <V> Map<String, V> zip(String what, String[] names, int values, IntFunction<V> value) {
        if (values != names.length) {
            throw new IllegalArgumentException(what + ": " + names.length + " names but " + values
                    + " values");
        }
        Map<String, V> byName = HashMap.newHashMap(names.length);
        for (int i = 0; i < names.length; i++) {
            byName.put(names[i], value.apply(i));
        }
        return byName;
    }
}
