package dev.finitomata.internal.engine;

import dev.finitomata.FsmError;

/** INTERNAL API. What the decider says to do with an event: commit a transition, or refuse it. */
public sealed interface Step<P> {

    /** Persist the move {@code from --event--> to} with {@code payload}. */
    record Commit<P>(String from, String event, String to, P payload) implements Step<P> {
    }

    /** Refuse: nothing is persisted; {@code error} says why. */
    record Refuse<P>(FsmError error) implements Step<P> {
    }
}
