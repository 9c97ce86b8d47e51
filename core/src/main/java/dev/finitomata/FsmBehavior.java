package dev.finitomata;

import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.FsmProtocol.Command;
import dev.finitomata.internal.FsmProtocol.Data;
import dev.finitomata.internal.FsmProtocol.Event;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The behavior of one named, persistent FSM: extend it, return your {@link #definition()}, and decide each step
 * in {@link #onTransition}. Everything else is optional.
 *
 * <pre>{@code
 * public final class Door extends FsmBehavior<Integer> {
 *     static final FsmDefinition FSM = FsmDefinition.parse("""
 *         [*] --> closed : install
 *         closed --> opened : open
 *         opened --> closed : close
 *         closed --> [*] : remove
 *         """);
 *     public Door(FsmContext context) { super(context); }
 *     protected FsmDefinition definition() { return FSM; }
 *     protected Transition<Integer> onTransition(String state, String event, Object arg, Integer opened) {
 *         return Transition.to(targetOf(state, event), event.equals("open") ? opened + 1 : opened);
 *     }
 * }
 * }</pre>
 *
 * <p>It is a Pekko event-sourced behavior whose command and event handling belong to the framework (they are
 * final). Each committed transition is persisted as {@code {state, payload}}; callbacks run one event at a time on
 * the FSM's own thread (a virtual thread, so they may block). The transition pipeline is: event accepted in the
 * current state → {@link #onExit} → {@link #onTransition} → target allowed (else {@link #onRollback}) → persist →
 * listeners → timer re-armed → {@link #onEnter} → hard event fired. A transition to {@code "*"} stops the FSM after
 * {@link #onTerminate}. An exception thrown by a callback fails the transition with an {@link FsmError}
 * ({@link #onFailure} is called); it never kills the FSM.
 *
 * @param <P> the payload type: a record (or any value Jackson can round-trip), treated as immutable
 */
public abstract class FsmBehavior<P> extends EventSourcedBehavior<Command, Event, Data> {

    private final FsmContext context;
    private final FsmEngine<P> engine;

    /** Builds the FSM for {@code context}; call it from your constructor. */
    protected FsmBehavior(FsmContext context) {
        super(PersistenceId.ofUniqueId(context.persistenceId()));
        this.context = context;
        this.engine = new FsmEngine<>(this, context);
    }

    // ---- what users write ----

    /** The FSM's definition; return a constant (parse once, in a static field). Called on the FSM's thread. */
    protected abstract FsmDefinition definition();

    /**
     * Decides the transition for {@code event} in {@code state}: return {@link Transition#to} a target of the event
     * (or {@code "*"} to finish) with the new payload, or {@link Transition#fail}. The default moves to the event's
     * only target with the payload unchanged, and fails when the event has several targets.
     *
     * @param state        the current state ({@code "*"} for the entry event at start)
     * @param event        the event, as in the definition
     * @param eventPayload what was sent with the event; may be null
     * @param payload      the FSM's current payload
     * @throws Exception any exception fails the transition (stage {@code TRANSITION}); the FSM keeps running
     */
    protected Transition<P> onTransition(String state, String event, Object eventPayload, P payload)
            throws Exception {
        Set<String> targets = definition().targets(state, event);
        if (targets.size() == 1) {
            return Transition.to(targets.iterator().next(), payload);
        }
        return Transition.fail("event '" + event + "' in state '" + state + "' has " + targets.size()
                + " targets " + targets + ": override onTransition to choose one");
    }

    /**
     * Called once when the FSM is started fresh (not when it is loaded), before the entry transition; returns the
     * payload to start with. The default returns {@code payload}.
     *
     * @throws Exception fails the start: {@code start} completes with {@link FsmTransitionException}
     */
    protected P onStart(P payload) throws Exception {
        return payload;
    }

    /** Called after a transition into {@code state} is committed. An exception is recorded, not rolled back. */
    protected void onEnter(String state, FsmState<P> fsm) throws Exception {
    }

    /** Called before {@link #onTransition} when an accepted event leaves {@code state}; throwing fails it. */
    protected void onExit(String state, FsmState<P> fsm) throws Exception {
    }

    /** Called when a transition fails (not for soft {@code ?} events); {@code fsm.lastError()} says why. */
    protected void onFailure(String event, Object eventPayload, FsmState<P> fsm) {
    }

    /** Called when {@link #onTransition} chose {@code target}, which the definition does not allow. */
    protected void onRollback(String target, FsmState<P> fsm) {
    }

    /** Called when the FSM reaches {@code "*"}, just before it stops. */
    protected void onTerminate(FsmState<P> fsm) {
    }

    /**
     * Called every {@link #timer()} interval (the countdown restarts at every transition).
     *
     * @throws Exception recorded as a failure (stage {@code TIMER}); the timer keeps ticking
     */
    protected TimerResult<P> onTimer(String state, FsmState<P> fsm) throws Exception {
        return TimerResult.ok();
    }

    /** The interval of {@link #onTimer}; empty (the default) for no timer. */
    protected Optional<Duration> timer() {
        return Optional.empty();
    }

    /**
     * Whether the FSM fires {@code __end__} by itself when it enters a state whose only event is {@code __end__}
     * (a flowchart's final states), stopping it. Default false: it waits in the final state.
     */
    protected boolean autoTerminate() {
        return false;
    }

    // ---- helpers ----

    /** This FSM's context. */
    protected final FsmContext context() {
        return context;
    }

    /** This FSM's name. */
    protected final String name() {
        return context.name();
    }

    /**
     * The only target of {@code event} in {@code state}.
     *
     * @throws IllegalStateException if the event has no target or several
     */
    protected final String targetOf(String state, String event) {
        Set<String> targets = definition().targets(state, event);
        if (targets.size() != 1) {
            throw new IllegalStateException("event '" + event + "' in state '" + state + "' has targets " + targets
                    + ", not exactly one");
        }
        return targets.iterator().next();
    }

    // ---- Pekko: owned by the framework ----

    @Override
    public final Data emptyState() {
        return Data.EMPTY;
    }

    @Override
    public final CommandHandler<Command, Event, Data> commandHandler() {
        return engine.commandHandler(Effect());
    }

    @Override
    public final EventHandler<Data, Event> eventHandler() {
        int history = context.environment().settings().historySize();
        return (data, event) -> data.apply(event, history);
    }

    @Override
    public final SignalHandler<Data> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), engine::recovered)
                .build();
    }

    @Override
    public final String journalPluginId() {
        return context.environment().settings().journalPluginId();
    }

    @Override
    public final String snapshotPluginId() {
        return context.environment().settings().snapshotPluginId();
    }

    @Override
    public final RetentionCriteria retentionCriteria() {
        int every = context.environment().settings().snapshotEvery();
        if (every <= 0) {
            return RetentionCriteria.disabled();
        }
        RetentionCriteria criteria = RetentionCriteria.snapshotEvery(every, 2);
        return context.environment().settings().deleteEventsOnSnapshot()
                ? ((org.apache.pekko.persistence.typed.javadsl.SnapshotCountRetentionCriteria) criteria)
                        .withDeleteEventsOnSnapshot()
                : criteria;
    }
}
