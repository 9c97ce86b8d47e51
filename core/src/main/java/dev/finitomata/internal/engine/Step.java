package dev.finitomata.internal.engine;

import dev.finitomata.FsmError;
import dev.finitomata.Transition;
import java.util.List;

/** INTERNAL API. What the decider says to do with an event: commit a transition, or refuse it. */
public sealed interface Step<P> {

    /**
     * Persist the move {@code from --event--> to} with {@code payload}, and with it the changes to the FSM's own
     * delayed events that {@code onTransition} asked for.
     */
    record Commit<P>(String from, String event, String to, P payload, List<Transition.Delay> delays)
            implements Step<P> {
        /** A move with no delayed events. */
        public Commit(String from, String event, String to, P payload) {
            this(from, event, to, payload, List.of());
        }
    }

    /** Refuse: nothing is persisted; {@code error} says why. */
    record Refuse<P>(FsmError error) implements Step<P> {
    }
}
