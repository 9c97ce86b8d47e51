package dev.finitomata;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One running FSM in full, as {@link FsmSupervisor#details} answers it: its state, the node that hosts it and what
 * it has scheduled.
 *
 * @param state  the FSM's state, as {@link FsmSupervisor#state} answers it
 * @param node   the address of the node (ActorSystem) hosting it, e.g. {@code pekko://app@127.0.0.1:2551}
 * @param delays its pending delayed transitions (scheduled with a delay and not yet fired), earliest first
 * @param timer  its timer in the current state ({@code FsmBehavior.timerInterval}), if it has one
 * @param <P>    the payload type
 */
public record FsmDetails<P>(FsmState<P> state, String node, List<Delay> delays, Optional<Timer> timer) {

    /**
     * A pending delayed transition.
     *
     * @param event        the event it will send
     * @param eventPayload the event's payload (may be null)
     * @param dueAt        when it falls due, by the FSM's clock
     */
    public record Delay(String event, Object eventPayload, Instant dueAt) {

        /** @throws NullPointerException if {@code event} or {@code dueAt} is null */
        public Delay {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(dueAt, "dueAt");
        }
    }

    /**
     * The FSM's timer.
     *
     * @param interval how often {@code onTimer} runs in the current state
     * @param nextTick when it runs next, by the FSM's clock
     */
    public record Timer(Duration interval, Instant nextTick) {

        /** @throws NullPointerException if a component is null */
        public Timer {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(nextTick, "nextTick");
        }
    }

    /** Copies {@code delays}; @throws NullPointerException if a component is null */
    public FsmDetails {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(node, "node");
        delays = List.copyOf(delays);
        Objects.requireNonNull(timer, "timer");
    }
}
