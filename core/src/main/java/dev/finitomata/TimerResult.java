package dev.finitomata;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link FsmBehavior#onTimer} decided at a tick.
 *
 * @param <P> the payload type
 */
public sealed interface TimerResult<P> {

    /** Nothing to do; the timer ticks again after the interval. */
    record Ok<P>() implements TimerResult<P> {
    }

    /** Persist a new payload (the state does not change). */
    record Update<P>(P payload) implements TimerResult<P> {
    }

    /** Fire {@code event} with {@code eventPayload}, the FSM's payload first replaced by {@code payload}. */
    record Fire<P>(String event, Object eventPayload, P payload) implements TimerResult<P> {
        /** @throws NullPointerException if {@code event} is null */
        public Fire {
            Objects.requireNonNull(event, "event");
        }
    }

    /** Tick next after {@code delay} instead of the usual interval (once). */
    record Reschedule<P>(Duration delay) implements TimerResult<P> {
        /** @throws IllegalArgumentException if {@code delay} is negative */
        public Reschedule {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("timer delay must not be negative, was " + delay);
            }
        }
    }

    /** Nothing to do. */
    static <P> TimerResult<P> ok() {
        return new Ok<>();
    }

    /** Persist {@code payload}. */
    static <P> TimerResult<P> update(P payload) {
        return new Update<>(payload);
    }

    /** Fire {@code event} with {@code eventPayload} after setting the payload to {@code payload}. */
    static <P> TimerResult<P> transition(String event, Object eventPayload, P payload) {
        return new Fire<>(event, eventPayload, payload);
    }

    /** Tick next after {@code delay}. */
    static <P> TimerResult<P> reschedule(Duration delay) {
        return new Reschedule<>(delay);
    }
}
