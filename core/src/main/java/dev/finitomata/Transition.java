package dev.finitomata;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link FsmBehavior#onTransition} decided: go to a state with a new payload, or fail.
 *
 * <p>A move may also schedule and cancel <b>durable delayed events of the FSM itself</b>, named by a key of the
 * FSM's choosing, as effects committed with the move (one write to the journal): a crash cannot lose or duplicate
 * them, and they fire after restarts and failover, and on virtual time in the test kit, as delayed transitions sent
 * from outside do.
 *
 * <pre>{@code
 * case "review" -> Transition.to("under_review", application)
 *         .schedule("review-timeout", "expire", null, Duration.ofDays(3));
 * case "approve" -> Transition.to("approved", application).cancel("review-timeout");
 * }</pre>
 *
 * @param <P> the payload type
 */
public sealed interface Transition<P> {

    /**
     * Move to {@code next} (a target of the event, or {@code "*"} to finish) with {@code payload}, scheduling and
     * cancelling the FSM's own delayed events as {@code delays} says, in that order.
     */
    record To<P>(String next, P payload, List<Delay> delays) implements Transition<P> {
        /** @throws NullPointerException if {@code next} or {@code delays} is null */
        public To {
            Objects.requireNonNull(next, "next");
            delays = List.copyOf(delays);
        }

        /** Move to {@code next} with {@code payload}, with no delayed events. */
        public To(String next, P payload) {
            this(next, payload, List.of());
        }

        /**
         * Also schedules {@code event} (with {@code eventPayload}) to be fired on this FSM after {@code delay}, under
         * {@code key}: a delay already pending under that key is replaced. When it falls due it is fired as a
         * delayed transition sent from outside would be (refused, and forgotten, if the FSM's state then does not
         * respond to it); it may be one of {@link FsmBehavior#internalEvents()}. Forgotten when the FSM finishes or
         * is deleted.
         *
         * @throws NullPointerException     if an argument but {@code eventPayload} is null
         * @throws IllegalArgumentException if {@code delay} is negative
         */
        public To<P> schedule(String key, String event, Object eventPayload, Duration delay) {
            return with(new Schedule(key, event, eventPayload, delay));
        }

        /** Also cancels the delayed event pending under {@code key}, if any. */
        public To<P> cancel(String key) {
            return with(new Cancel(key));
        }

        private To<P> with(Delay change) {
            List<Delay> all = new ArrayList<>(delays);
            all.add(change);
            return new To<>(next, payload, all);
        }
    }

    /** Refuse the event: the FSM stays where it is and the failure is reported with {@code reason}. */
    record Fail<P>(Object reason) implements Transition<P> {
        /** @throws NullPointerException if {@code reason} is null */
        public Fail {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A change to the FSM's own delayed events that a move commits: {@link Schedule} or {@link Cancel}. */
    sealed interface Delay {
        /** The name the FSM gives the delayed event, unique among its pending ones. */
        String key();
    }

    /** Fire {@code event} with {@code eventPayload} after {@code delay}; see {@link To#schedule}. */
    record Schedule(String key, String event, Object eventPayload, Duration delay) implements Delay {
        /**
         * @throws NullPointerException     if an argument but {@code eventPayload} is null
         * @throws IllegalArgumentException if {@code delay} is negative
         */
        public Schedule {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("the delay of '" + key + "' must not be negative, was " + delay);
            }
        }
    }

    /** Forget the delayed event pending under {@code key}, if any. */
    record Cancel(String key) implements Delay {
        /** @throws NullPointerException if {@code key} is null */
        public Cancel {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Move to {@code next} with {@code payload}; add delayed events with {@link To#schedule} and {@link To#cancel}. */
    static <P> To<P> to(String next, P payload) {
        return new To<>(next, payload);
    }

    /** Fail the transition with {@code reason} (its {@code toString} becomes the error's reason). */
    static <P> Transition<P> fail(Object reason) {
        return new Fail<>(reason);
    }
}
