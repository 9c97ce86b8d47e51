package dev.finitomata.internal.payload;

import dev.finitomata.internal.protocol.Event;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * INTERNAL API. Checks, once per class, that a payload survives Pekko serialization as it must to be journaled by a
 * serializing journal or to cross the cluster: start payloads and event payloads at the facades' calls, and new
 * payload classes in the FSM before it persists them. Thread-safe; the classes verified are remembered per facade.
 */
public final class PayloadVerifier {

    private final ActorSystem<?> system;
    private final boolean enabled;
    private final Set<Class<?>> verified = ConcurrentHashMap.newKeySet();

    public PayloadVerifier(ActorSystem<?> system, boolean enabled) {
        this.system = Objects.requireNonNull(system, "system");
        this.enabled = enabled;
    }

    /**
     * Checks {@code payload} (nothing to check for null).
     *
     * @param what what the payload is, for the message ("payload", "event payload")
     * @throws IllegalArgumentException naming the class, the cause and the fix
     */
    public void verify(Object payload, String what) {
        if (payload == null || !enabled || verified.contains(payload.getClass())) {
            return;
        }
        Event.PayloadUpdated probe = new Event.PayloadUpdated(payload);
        Object back;
        try {
            Serialization serialization = SerializationExtension.get(Adapter.toClassic(system));
            Serializer serializer = serialization.findSerializerFor(probe);
            byte[] bytes = serializer.toBinary(probe);
            back = ((Event.PayloadUpdated) serialization.deserialize(bytes, serializer.identifier(),
                    Serializers.manifestFor(serializer, probe)).get()).payload();
        } catch (Exception | Error e) {
            throw new IllegalArgumentException(what + " of type " + payload.getClass().getName() + " cannot be "
                    + "serialised with Jackson (" + e + "). The usual fixes: make it a record; or give the class a "
                    + "constructor annotated @JsonCreator whose parameters are annotated @JsonProperty(\"field\"); or "
                    + "compile with -parameters (maven-compiler-plugin <parameters>true</parameters>) so that Jackson "
                    + "sees the constructor's parameter names. Every field must be readable and writable by Jackson "
                    + "(set finitomata.verify-payload-serialization = off to skip this check)", e);
        }
        if (overridesEquals(payload.getClass()) && !payload.equals(back)) {
            throw new IllegalArgumentException(what + " of type " + payload.getClass().getName() + " does not "
                    + "survive serialization: wrote " + payload + " and read back " + back
                    + "; make every field readable and writable by Jackson");
        }
        verified.add(payload.getClass());
    }

    private static boolean overridesEquals(Class<?> type) {
        try {
            return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
