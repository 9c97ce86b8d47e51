package dev.finitomata.internal.engine;

import dev.finitomata.FsmError;
import java.time.Duration;

/** INTERNAL API. What a timer tick decided ({@code onTimer}'s answer, checked). */
public sealed interface TimerStep<P> {

    /** Nothing to persist; re-arm the timer. */
    record Ok<P>() implements TimerStep<P> {
    }

    /** Persist a new payload. */
    record Update<P>(P payload) implements TimerStep<P> {
    }

    /** Tick next after {@code delay}. */
    record Reschedule<P>(Duration delay) implements TimerStep<P> {
    }

    /** Take this step (a transition chosen by the timer). */
    record Move<P>(Step<P> step) implements TimerStep<P> {
    }

    /** The tick failed (already recorded); re-arm the timer. */
    record Failed<P>(FsmError error) implements TimerStep<P> {
    }
}
