package dev.finitomata;

/**
 * Told of every committed transition of the FSMs of one supervisor. Called on the FSM's own thread right after the
 * transition is persisted (before {@code onEnter}); keep it short and do not block. An exception it throws does
 * not undo the transition: it is logged and recorded as the FSM's {@code lastError} (stage {@code LISTENER}), which
 * the call that made the transition sees in the state it answers.
 *
 * @param <P> the payload type
 */
@FunctionalInterface
public interface FsmListener<P> {

    /** The FSM {@code name} has just moved to {@code state} with {@code payload}. */
    void afterTransition(String name, String state, P payload);

    /**
     * The FSM {@code name} could not fork {@code fork} (Finitomata's {@code after_fork_failure}): {@code onFork} threw
     * or named an event its state does not respond to, or the child's start was refused. The fork is given up: the
     * parent will not take its event. Called on the parent's thread; {@code fork} is null when {@code onFork} threw.
     * Default: nothing.
     */
    default void afterForkFailure(String name, Fork fork, FsmError error) {
    }
}
