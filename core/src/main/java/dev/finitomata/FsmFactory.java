package dev.finitomata;

/**
 * Builds the behavior of one FSM; {@code Order::new} fits when {@code Order} has a constructor taking an
 * {@link FsmContext}. Called once per FSM incarnation (start, restart, relocation), on the FSM's own thread.
 *
 * @param <P> the payload type
 */
@FunctionalInterface
public interface FsmFactory<P> {

    /** A new behavior for the FSM described by {@code context}. */
    FsmBehavior<P> create(FsmContext context);
}
