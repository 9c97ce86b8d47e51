package dev.finitomata.internal.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * INTERNAL API. One write of a local supervisor's wake index (persistence id {@code fsm-wakes|<supervisor id>}):
 * for each FSM name, the time (epoch milliseconds of the FSMs' clock) of its earliest pending delayed transition, or
 * {@link #FORGET} when it has none left (or no longer runs). Also the form of the index's snapshot (every name it
 * holds).
 *
 * <p>Stored as two arrays, {@code names} and {@code at}, not as the map: Jackson reads a map's keys as field names,
 * and adds each to its symbol table and to the JVM's interned strings. A snapshot of 10,000,000 names then took longer
 * to read than the recovery timeout (30 s), so the index restarted, and timed out, forever. The map form
 * ({@code due}), which stores written before, is still read.
 */
@JsonIgnoreProperties(value = "due", allowSetters = true)
public record WakesChanged(Map<String, Long> due) implements FsmSerializable {

    /** The name has no pending delayed transition any more. */
    public static final long FORGET = -1;

    /** Reads either form: {@code names} and {@code at}, or the earlier {@code due}. */
    @JsonCreator
    static WakesChanged read(@JsonProperty("names") String[] names, @JsonProperty("at") long[] at,
                             @JsonProperty("due") Map<String, Long> due) {
        if (names == null) {
            return new WakesChanged(due != null ? due : Map.of());
        }
        return new WakesChanged(NameArrays.zip("wake index entry", names, at == null ? 0 : at.length, i -> at[i]));
    }

    /** The names, as written (in the map's order; {@link #at} follows the same order). */
    @JsonProperty("names")
    public String[] names() {
        return NameArrays.names(due);
    }

    /** The due times of {@link #names}, in their order. */
    @JsonProperty("at")
    public long[] at() {
        long[] at = new long[due.size()];
        int i = 0;
        for (Long value : due.values()) {
            at[i++] = value;
        }
        return at;
    }
}
