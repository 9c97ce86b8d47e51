package dev.finitomata.spi;

import dev.finitomata.FsmError;

/**
 * Observes the FSMs of one supervisor on this node. Called on the FSM's own thread, on the hot path of every
 * transition: keep it to a few counter updates, never block, never throw (an exception is logged and dropped).
 */
public interface FsmTypeProbe {

    /** Observes nothing. */
    FsmTypeProbe NONE = new FsmTypeProbe() {
        @Override
        public void transitioned(String from, String event, String to, long nanos) {
        }

        @Override
        public void failed(FsmError error) {
        }
    };

    /**
     * A transition was committed (the journal has it); called just before its caller is answered, so a caller that
     * got its answer finds it counted.
     *
     * @param from  the state it left ({@code "*"} for a start)
     * @param event the event
     * @param to    the state it entered ({@code "*"} when the FSM finished)
     * @param nanos how long it took from the moment the FSM took the event (before {@code onTransition}) to the answer:
     *              decide, persist, {@code onEnter}
     */
    void transitioned(String from, String event, String to, long nanos);

    /** A failure was recorded as an FSM's {@code lastError} (and published as {@code FsmFailed}). */
    void failed(FsmError error);
}
