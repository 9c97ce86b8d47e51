package dev.finitomata;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Runs named FSMs of one type: {@link Finitomata} on one node, {@code Infinitomata} over a cluster. Both implement
 * one lifecycle (the table in docs/runtime.md) and are interchangeable. Every method is thread-safe and
 * non-blocking; names are non-blank strings unique within the supervisor.
 *
 * <p>An FSM <em>runs</em> from the moment {@link #start} answers {@code STARTED} or {@code LOADED} until it
 * finishes (a transition to {@code "*"}), is stopped or is deleted; an idle FSM whose actor was
 * passivated to save memory still runs. A call on a name that does not run is answered at once, never after a
 * timeout: {@link #state} empty, {@link #alive} false, {@link #transitionAndWait} and {@link #stop}
 * {@link FsmNotFoundException}, {@link #transition} dropped and counted in {@link #droppedEvents()}. Calls made
 * after a {@code start}, {@code stop} or {@code delete} returned (made through the same supervisor, for the same name)
 * take effect after it. The stages complete on Pekko's threads; as with the stages of Pekko's own {@code ask}, the
 * callbacks added with the non-async methods ({@code thenApply}, {@code whenComplete}, ...) to the stage of a call an
 * FSM answers run on {@code ForkJoinPool.commonPool()}, never on the FSM's thread. Do not block in callbacks.
 *
 * <p><b>Not for users to implement</b>: the two facades are the only implementations, and methods will be added to
 * this interface in minor versions (as Pekko marks such types {@code @DoNotInherit}). Program against it, mock it in
 * tests if you must, but do not implement it in production code.
 *
 * @param <P> the payload type of the FSMs
 */
public interface FsmSupervisor<P> {

    /** The supervisor's id (part of every FSM's persistence id). */
    String id();

    /**
     * Starts the FSM {@code name} with {@code payload}: runs {@code onStart} and fires the entry event. If the name
     * was stopped (or its actor or JVM went away while it ran), its persisted state is loaded instead and
     * {@code payload} is ignored. A name that finished or was deleted starts fresh.
     *
     * @return STARTED, LOADED, or ALREADY_STARTED (it runs; nothing changed); fails with
     *     {@link FsmTransitionException} when {@code onStart} or the entry transition fails, or the journal fails
     * @throws IllegalArgumentException if the name is blank, or the payload does not survive serialization
     * @throws NullPointerException     if an argument is null
     */
    CompletionStage<StartResult> start(String name, P payload);

    /**
     * Sends {@code event} to the FSM {@code name}, fire-and-forget. If no FSM of that name runs, the event is
     * dropped, logged at WARN and counted in {@link #droppedEvents()} (no FSM is created). Failures are reported
     * through {@code onFailure} and {@code lastError}.
     *
     * @param eventPayload sent to {@code onTransition}; may be null
     * @throws IllegalArgumentException if the name is blank, the event is not in the definition, or the event payload
     *                                  does not survive serialization
     */
    void transition(String name, String event, Object eventPayload);

    /**
     * Schedules {@code event} for the FSM {@code name} after {@code delay}. The schedule is persisted: it fires once,
     * even across a stop and start, a crash, or a failover. It dies with the FSM's life: when the FSM finishes or is
     * deleted, its pending delayed events never fire. Dropped and counted like {@link #transition} when the FSM does
     * not run.
     *
     * @throws IllegalArgumentException if the name is blank, the event is not in the definition, the event payload
     *                                  does not survive serialization, or the delay is negative
     */
    void transition(String name, String event, Object eventPayload, Duration delay);

    /**
     * Sends {@code event} and completes with the FSM's state once the transition is persisted (and {@code onEnter}
     * ran). Fails with {@link FsmTransitionException} when the transition fails (the FSM stays where it was; a journal
     * failure has stage {@code PERSIST}) and with {@link FsmNotFoundException} when no FSM of that name runs.
     *
     * @throws IllegalArgumentException as {@link #transition(String, String, Object)}
     */
    CompletionStage<FsmState<P>> transitionAndWait(String name, String event, Object eventPayload);

    /** The state of the FSM {@code name}, or empty when it does not run. It wakes a passivated FSM. */
    CompletionStage<Optional<FsmState<P>>> state(String name);

    /**
     * The FSM {@code name} in full if it runs: its state, the node hosting it, its pending delayed transitions and its
     * timer; empty if it does not run. Like {@link #state}, it asks the FSM (waking it if passivated). Completes on a
     * Pekko thread; fails like {@link #state} when the FSM does not answer in time.
     *
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    CompletionStage<Optional<FsmDetails<P>>> details(String name);

    /**
     * Runs the FSM's {@code onTimer} now, as if its timer had fired (Finitomata's {@code timer_tick}); the countdown
     * then starts again. Completes once {@code onTimer} ran: calls made after that see its outcome (an update, a
     * transition). Fails with {@link FsmNotFoundException} when the FSM does not run, and with
     * {@link FsmTransitionException} (stage {@code TIMER}) when its state has no timer.
     *
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    CompletionStage<Done> timerTick(String name);

    /**
     * Restarts the FSM's timer countdown from now (Finitomata's {@code reset_timer}): its next tick comes one
     * {@code timer()} interval from now. Fails as {@link #timerTick}.
     *
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    CompletionStage<Done> resetTimer(String name);

    /** Whether an FSM of that name runs. It never wakes a passivated FSM. */
    CompletionStage<Boolean> alive(String name);

    /** Every running FSM and where it runs. */
    CompletionStage<Map<String, FsmLocation>> all();

    /** How many FSMs run. */
    CompletionStage<Integer> count();

    /** The name of a running FSM chosen at random, or empty when none runs. */
    CompletionStage<Optional<String>> random();

    /**
     * How many FSMs run in each state: passivated ones included, stopped and finished ones not; a state with none is
     * absent. Exact: an FSM is counted in its new state before the call that moved it completes. {@code Finitomata}
     * answers at once from this node; {@code Infinitomata} adds up every node's count (one round trip per node; a
     * node that does not answer is left out and logged at WARN, as for {@link #all()}).
     */
    CompletionStage<Map<String, Long>> countByState();

    /**
     * The running FSMs {@code query} asks for (in one state, optionally entered before an instant), oldest first, at
     * most {@link FsmQuery#limit()} ({@value FsmQuery#DEFAULT_LIMIT} by default); passivated ones included. As fresh
     * as {@link #countByState()}: a transition is visible once the call that made it completed.
     *
     * @throws NullPointerException if {@code query} is null
     */
    CompletionStage<List<FsmSummary>> find(FsmQuery query);

    /**
     * The committed transitions of the FSM {@code name}'s current life, oldest first, read from its journal through
     * Pekko Persistence Query (the read journal of the store: {@code finitomata.read-journal-plugin}), not through the
     * FSM: it answers whether the FSM runs, is passivated or stopped, or has not been started since a restart. A
     * finished FSM answers its last life (ending in a transition to {@code "*"}) until it is started again or
     * deleted; a name never started (or deleted) answers an empty list. The first entry comes {@code from "*"}; a
     * migration to a new version is an entry with event {@code "__migrate__"}. Events deleted with snapshots
     * ({@code finitomata.delete-events-on-snapshot}) are missing from it. On {@code Infinitomata} any node answers.
     * Completes on a Pekko stream thread; fails with {@link IllegalStateException} when the store has no read journal
     * or the read fails, with the cause.
     *
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    CompletionStage<List<FsmHistoryEntry<P>>> history(String name);

    /**
     * Stops the FSM {@code name}; its state stays persisted until {@code start} loads it. In a cluster the stop itself
     * is persisted, so that no failover or restart runs the FSM again. Completes once the FSM no longer runs (calls
     * made after it are refused); fails with {@link FsmNotFoundException} when it does not run, and with
     * {@link FsmTransitionException} (stage {@code PERSIST}) when the journal cannot record the stop.
     */
    CompletionStage<Done> stop(String name);

    /**
     * Stops the FSM {@code name} if it runs, and erases its persisted events and snapshots; the next {@code start}
     * starts it fresh. Completes normally for a name with nothing stored; fails with {@link IllegalStateException}
     * when the journal could not erase it.
     */
    CompletionStage<Done> delete(String name);

    /**
     * How many fire-and-forget and delayed events sent through this supervisor were dropped because their FSM did
     * not run. A drop found by the FSM itself (one that ended while the event was on its way) is counted when its
     * notice arrives, so the count may lag a little behind the call.
     */
    long droppedEvents();

    /**
     * Registers a listener told of every committed transition of this supervisor's FSMs (on the FSM's thread; in a
     * cluster, of the FSMs running on this node). An exception it throws is recorded as an {@link FsmError} of stage
     * {@code LISTENER}.
     *
     * @throws NullPointerException if {@code listener} is null
     */
    void addListener(FsmListener<P> listener);

    /**
     * Unregisters {@code listener} (one registered with {@link #addListener}, or declared by the FSM type's
     * {@code FsmBehavior.listeners()}), compared with {@code equals}: it is told of no transition committed after this
     * returns. Answers whether it was registered.
     */
    boolean removeListener(FsmListener<P> listener);
}
