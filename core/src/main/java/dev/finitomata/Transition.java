package dev.finitomata;

import java.util.Objects;

/**
 * What {@link FsmBehavior#onTransition} decided: go to a state with a new payload, or fail.
 *
 * @param <P> the payload type
 */
public sealed interface Transition<P> {

    /** Move to {@code next} (a target of the event, or {@code "*"} to finish) with {@code payload}. */
    record To<P>(String next, P payload) implements Transition<P> {
        /** @throws NullPointerException if {@code next} is null */
        public To {
            Objects.requireNonNull(next, "next");
        }
    }

    /** Refuse the event: the FSM stays where it is and the failure is reported with {@code reason}. */
    record Fail<P>(Object reason) implements Transition<P> {
        /** @throws NullPointerException if {@code reason} is null */
        public Fail {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Move to {@code next} with {@code payload}. */
    static <P> Transition<P> to(String next, P payload) {
        return new To<>(next, payload);
    }

    /** Fail the transition with {@code reason} (its {@code toString} becomes the error's reason). */
    static <P> Transition<P> fail(Object reason) {
        return new Fail<>(reason);
    }
}
