package dev.finitomata;

import java.util.Objects;

/**
 * Why a transition failed, or which user hook threw. Recorded as the FSM's {@code lastError}, published on the
 * event stream as {@link FsmFailed}, and carried by {@link FsmTransitionException}.
 *
 * @param stage        where in the transition pipeline it failed
 * @param state        the state the FSM was in (it stays there)
 * @param event        the event that was being handled
 * @param eventPayload the event's payload; may be null when the event had none
 * @param reason       what went wrong, readable by a person
 */
public record FsmError(Stage stage, String state, String event,
                       Object eventPayload, String reason) {

    /** The pipeline stage at which a transition failed. */
    public enum Stage {
        /** {@code onStart} failed or the entry transition could not be made. */
        START,
        /** The current state does not respond to the event. */
        ACCEPT,
        /** {@code onExit} threw. */
        EXIT,
        /** {@code onTransition} threw or returned {@link Transition#fail}. */
        TRANSITION,
        /** {@code onTransition} chose a target the definition does not allow (rolled back). */
        ALLOWED,
        /**
         * The journal failed or rejected the write, or the new payload cannot be serialised; nothing was persisted.
         * After a journal failure the FSM restarts from its journal.
         */
        PERSIST,
        /** {@code onEnter} threw after the transition was committed (the transition stands). */
        ENTER,
        /** {@code onTimer} or {@code timer()} threw. */
        TIMER,
        /** A listener threw after the transition was committed (the transition stands). */
        LISTENER,
        /** {@code onTerminate} or {@code autoTerminate()} threw (a finish stands). */
        TERMINATE
    }

    /** @throws NullPointerException if {@code stage}, {@code state}, {@code event} or {@code reason} is null */
    public FsmError {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return stage + " failed in state '" + state + "' on event '" + event + "': " + reason;
    }
}
