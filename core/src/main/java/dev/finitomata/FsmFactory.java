package dev.finitomata;

/**
 * Builds the behavior of one FSM; {@code Order::new} fits when {@code Order} has a constructor taking an
 * {@link FsmContext}. Called once per FSM incarnation (start, restart, relocation), on the FSM's own thread; and
 * once when a supervisor is created, on the thread that creates it, with a detached context, only to read the
 * definition (see {@link FsmContext}). An exception or a null it returns makes that FSM refuse its start, with the
 * reason, as stage {@code START}.
 *
 * @param <P> the payload type
 */
@FunctionalInterface
public interface FsmFactory<P> {

    /** A new behavior for the FSM described by {@code context}. */
    FsmBehavior<P> create(FsmContext context);
}
