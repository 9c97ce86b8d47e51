package dev.finitomata.internal.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.finitomata.internal.payload.PayloadType;

/**
 * INTERNAL API. What an FSM persists: one event per committed transition, and the marks of its lifecycle and its
 * schedule. {@link Data#apply} folds them into the persisted state. The class names are written in every journal:
 * a rename needs an entry in {@link LegacyClassNames}.
 */
public sealed interface Event extends FsmSerializable {

    /**
     * A committed transition. From {@code "*"} it begins a new life; to {@code "*"} it ends one. {@code version} is the
     * FSM's {@code version()} that made it, null for version 1 (so version 1 costs no bytes, and events written before
     * versions existed read as version 1). {@code at} is when it was committed (epoch milliseconds of the FSM's
     * clock); null in events written before 0.2.
     */
    record Transitioned(String from, String event, String to, @PayloadType Object payload,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Integer version,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Long at) implements Event {

        /** A transition made by version {@code version} of the FSM, committed at {@code at}. */
        public static Transitioned of(String from, String event, String to, Object payload, int version, long at) {
            return new Transitioned(from, event, to, payload, version == 1 ? null : version, at);
        }

        /** When it was committed (epoch milliseconds); 0 when not recorded (before 0.2). */
        public long committedAt() {
            return at == null ? 0 : at;
        }

        /** The version that made it. */
        public int madeBy() {
            return version == null ? 1 : version;
        }
    }

    /**
     * An FSM persisted under version {@code fromVersion} was loaded by version {@code toVersion} and mapped from
     * state {@code from} to {@code to} with {@code payload} ({@code FsmBehavior.migrate}).
     */
    record Migrated(int fromVersion, int toVersion, String from, String to, @PayloadType Object payload)
            implements Event {
    }

    /** The payload changed without a transition ({@code TimerResult.update}). */
    record PayloadUpdated(@PayloadType Object payload) implements Event {
    }

    /** A delayed transition was scheduled to fire at {@code dueAtMillis} (epoch milliseconds). */
    record DelayScheduled(String id, String event,
                                 @PayloadType Object eventPayload,
                                 long dueAtMillis) implements Event {
    }

    /** A delayed transition fired (successfully or not) and is no longer pending. */
    record DelayDone(String id) implements Event {
    }

    /** The FSM was stopped: it keeps its state but runs no more until started (loaded) again. */
    record Stopped() implements Event {
    }

    /** A stopped FSM was started again (loaded). */
    record Resumed() implements Event {
    }

    /** The FSM was erased: whatever is replayed before this tombstone is forgotten. */
    record Erased() implements Event {
    }
}
