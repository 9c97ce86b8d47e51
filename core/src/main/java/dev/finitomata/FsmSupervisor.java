package dev.finitomata;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Runs named FSMs of one type: {@link Finitomata} on one node, {@code Infinitomata} over a cluster. Both behave the
 * same and are interchangeable. Every method is thread-safe and non-blocking; names are non-blank strings unique
 * within the supervisor.
 *
 * @param <P> the payload type of the FSMs
 */
public interface FsmSupervisor<P> {

    /** The supervisor's id (part of every FSM's persistence id). */
    String id();

    /**
     * Starts the FSM {@code name} with {@code payload}: runs {@code onStart} and fires the entry event. If the name
     * has persisted state, the FSM is restored from it instead and {@code payload} is ignored.
     *
     * @return STARTED, LOADED, or ALREADY_STARTED (nothing changed); fails with {@link FsmTransitionException} when
     *     {@code onStart} or the entry transition fails
     * @throws IllegalArgumentException if the name is blank, or the payload does not survive serialization
     * @throws NullPointerException     if an argument is null
     */
    CompletionStage<StartResult> start(String name, P payload);

    /**
     * Sends {@code event} to the FSM {@code name}, fire-and-forget. If no FSM of that name runs, the event is
     * dropped and logged at WARN (no FSM is created). Failures are reported through {@code onFailure} and
     * {@code lastError}.
     *
     * @param eventPayload sent to {@code onTransition}; may be null
     * @throws IllegalArgumentException if the name is blank or the event is not in the definition
     */
    void transition(String name, String event, Object eventPayload);

    /**
     * Schedules {@code event} for the FSM {@code name} after {@code delay}. The schedule is persisted: it fires once,
     * even across a stop and start, a crash, or a failover.
     *
     * @throws IllegalArgumentException if the name is blank, the event is not in the definition or the delay is
     *                                  negative
     */
    void transition(String name, String event, Object eventPayload, Duration delay);

    /**
     * Sends {@code event} and completes with the FSM's state once the transition is persisted.
     * Fails with {@link FsmTransitionException} when the transition fails (the FSM stays where it was) and with
     * {@link FsmNotFoundException} when no FSM of that name runs.
     */
    CompletionStage<FsmState<P>> transitionAndWait(String name, String event, Object eventPayload);

    /** The state of the FSM {@code name}, or empty when it does not run. */
    CompletionStage<Optional<FsmState<P>>> state(String name);

    /** Whether an FSM of that name runs. */
    CompletionStage<Boolean> alive(String name);

    /** Every running FSM and where it runs. */
    CompletionStage<Map<String, FsmLocation>> all();

    /** How many FSMs run. */
    CompletionStage<Integer> count();

    /** The name of a running FSM chosen at random, or empty when none runs. */
    CompletionStage<Optional<String>> random();

    /** Stops the FSM {@code name}; its state stays persisted. Fails with {@link FsmNotFoundException}. */
    CompletionStage<Done> stop(String name);

    /** Stops the FSM {@code name} if it runs, and erases its persisted events and snapshots. */
    CompletionStage<Done> delete(String name);

    /**
     * Registers a listener told of every committed transition of this supervisor's FSMs (on the FSM's thread).
     *
     * @throws NullPointerException if {@code listener} is null
     */
    void addListener(FsmListener<P> listener);
}
