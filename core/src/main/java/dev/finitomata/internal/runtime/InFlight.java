package dev.finitomata.internal.runtime;

import dev.finitomata.FsmError;
import java.util.function.Consumer;

/**
 * INTERNAL API. A write in flight of an FSM actor ({@link ActorCore#persist}): who hears of a journal failure, whether
 * it is a start or a transition, and, if a caller waits for it, how to tell that caller that the write is in doubt
 * ({@code inDoubt}, null when nobody waits). The node's {@link StoreOutage} runs {@code inDoubt} on its own thread
 * when it finds the journal down while the write is in flight: the actor cannot be told, as Pekko stashes its
 * commands until the write completes.
 */
record InFlight(String event, Object eventPayload, Kind kind, Consumer<FsmError> answer, Runnable inDoubt) {
    enum Kind { START, TRANSITION, OTHER }

    InFlight(String event, Object eventPayload, Kind kind, Consumer<FsmError> answer) {
        this(event, eventPayload, kind, answer, null);
    }

    boolean awaited() {
        return inDoubt != null;
    }

    /** A write whose failure only the FSM's {@code lastError} records. */
    static InFlight other(String what) {
        return new InFlight(what, null, Kind.OTHER, error -> { });
    }
}
