package dev.finitomata;

import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.engine.UserCode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

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
 * <p>A supervisor ({@link Finitomata} or {@code Infinitomata}) builds one instance per running FSM through your
 * {@link FsmFactory} and drives it from an internal event-sourced actor that owns it; each committed transition is
 * persisted as {@code {state, payload}}. Callbacks run one event at a time on the FSM's own thread (a virtual thread,
 * so they may block). The transition pipeline is: event accepted in the current state → {@link #onExit} →
 * {@link #onTransition} → target allowed (else {@link #onRollback}) → persist → listeners → timer re-armed →
 * {@link #onEnter} → hard event fired. A transition to {@code "*"} finishes the FSM after {@link #onTerminate}.
 *
 * <p>Every hook is guarded: an exception thrown by any of them (or an {@link Error}, such as a
 * {@link StackOverflowError}) becomes an {@link FsmError} with the stage it happened in, recorded as
 * {@code lastError}; it never stops the FSM. Only a fatal JVM error (a {@link VirtualMachineError} other than a
 * stack overflow, such as {@link OutOfMemoryError}) is not caught: Pekko's {@code jvm-exit-on-fatal-error} (on by
 * default) then ends the JVM, and the FSM recovers from its journal when it runs again.
 *
 * @param <P> the payload type: a record (or any value Jackson can round-trip), treated as immutable
 */
public abstract class FsmBehavior<P> {

    static {
        UserCode.install(new Hooks());
    }

    private final FsmContext context;

    /**
     * Builds the FSM for {@code context}; call it from your constructor.
     *
     * @throws NullPointerException if {@code context} is null
     */
    protected FsmBehavior(FsmContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    // ---- what users write ----

    /**
     * The FSM's definition; return a constant (parse once, in a static field). Called once per FSM incarnation, and
     * once when a supervisor is created (on an instance built only for that).
     */
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
     * @throws Exception fails the start (stage {@code START}): {@code start} completes with
     *                   {@link FsmTransitionException}
     */
    protected P onStart(P payload) throws Exception {
        return payload;
    }

    /**
     * Called after a transition into {@code state} is committed.
     *
     * @throws Exception recorded in {@code lastError} (stage {@code ENTER}); the transition stands
     */
    protected void onEnter(String state, FsmState<P> fsm) throws Exception {
    }

    /**
     * Called before {@link #onTransition} when an accepted event leaves {@code state}.
     *
     * @throws Exception fails the transition (stage {@code EXIT})
     */
    protected void onExit(String state, FsmState<P> fsm) throws Exception {
    }

    /**
     * Called when a transition fails (not for soft {@code ?} events); {@code fsm.lastError()} says why. An exception
     * it throws is appended to the recorded error's reason and logged.
     */
    protected void onFailure(String event, Object eventPayload, FsmState<P> fsm) throws Exception {
    }

    /**
     * Called when {@link #onTransition} chose {@code target}, which the definition does not allow (stage
     * {@code ALLOWED}). An exception it throws is appended to the recorded error's reason.
     */
    protected void onRollback(String target, FsmState<P> fsm) throws Exception {
    }

    /**
     * Called for every end of the FSM's run, with why it ended: it reached {@code "*"} ({@code FINISHED}, just before
     * it ends), was stopped ({@code STOPPED}, once the stop is recorded) or deleted ({@code DELETED}, once its
     * tombstone is written, before the erasure). Not called for a passivation, a failover, a node's shutdown or a
     * crash: the FSM comes back from those. Runs on the FSM's thread. By default it calls {@link #onTerminate(FsmState)}
     * when the FSM finished, and does nothing otherwise.
     *
     * @throws Exception recorded as an error of stage {@code TERMINATE} in the state the ending call answers; the FSM
     *                   ends all the same
     */
    protected void onTerminate(FsmState<P> fsm, Termination reason) throws Exception {
        if (reason == Termination.FINISHED) {
            onTerminate(fsm);
        }
    }

    /**
     * Called when the FSM reaches {@code "*"}, just before it ends (through the default
     * {@link #onTerminate(FsmState, Termination)}; override that one to hear of stops and deletions too).
     *
     * @throws Exception recorded as an error of stage {@code TERMINATE} in the state the finishing call answers;
     *                   the FSM finishes all the same
     */
    protected void onTerminate(FsmState<P> fsm) throws Exception {
    }

    /**
     * Called every {@link #timer()} interval (the countdown restarts at every transition).
     *
     * @throws Exception recorded as a failure (stage {@code TIMER}); the timer keeps ticking
     */
    protected TimerResult<P> onTimer(String state, FsmState<P> fsm) throws Exception {
        return TimerResult.ok();
    }

    /**
     * The interval of {@link #onTimer} in every state; empty (the default) for no timer. Asked through
     * {@link #timer(String)}, whose default answers this: override that one for a timer that depends on the state.
     * An exception is recorded (stage {@code TIMER}) and means no timer this time.
     */
    protected Optional<Duration> timer() {
        return Optional.empty();
    }

    /**
     * The interval of {@link #onTimer} in {@code state}, the state the FSM is in (or has just entered): by default
     * {@link #timer()}. Override this one for a timer that depends on the state, e.g. only in {@code awaiting_payment}.
     * Called whenever the timer is re-armed: after each transition and tick, and when the FSM recovers (the countdown
     * then starts again from the recovery: it does not survive a restart, a cluster's passivation or a failover; a
     * pending delayed transition does. {@code Finitomata}'s passivation keeps it: the FSM is woken before its tick).
     * An exception is recorded (stage {@code TIMER}) and means no timer this time.
     */
    protected Optional<Duration> timer(String state) {
        return timer();
    }

    /**
     * The events only this FSM fires itself, by its timer ({@link TimerResult#transition} from {@link #onTimer}) or
     * by the delayed events it schedules ({@link Transition.To#schedule}): "escalate after a day", "expire". A client's {@code transition} or {@code transitionAndWait} of one, delayed or
     * not, is refused: with an {@code IllegalArgumentException} at the call once the facade knows the definition (it
     * reads it when it is created), else with {@code FsmTransitionException}, stage {@code ACCEPT}. The test kit's
     * random walks never send them; they happen there only when time passes. Called when the facade is created and
     * once per FSM incarnation, on its thread. Default: none.
     *
     * @return events of {@link #definition()}; one that is not fails the facade's creation
     */
    protected Set<String> internalEvents() {
        return Set.of();
    }

    /**
     * The child FSMs {@code state} forks ({@link Fork}): called when the FSM enters {@code state} from another state
     * (its first state included; not for a self-loop), after {@code onTransition} chose the move and before it is
     * persisted, with the payload it will have. The forks are committed with the move. While the FSM is in
     * {@code state}, each child's end becomes the fork's event, with the child's last payload as the event payload; a
     * move out of {@code state} forgets the forks that have not ended (the children run on). Default: none.
     *
     * @throws Exception recorded (stage {@code ENTER}) and told to the listeners ({@code afterForkFailure}); the move
     *                   stands, without forks
     */
    protected List<Fork> onFork(String state, P payload) throws Exception {
        return List.of();
    }

    /**
     * The listeners of this FSM type, declared with it rather than added at run time: every supervisor of the type
     * registers them, on every node, as if by {@code addListener}, and {@code removeListener} removes them. Asked once
     * per supervisor, when it learns the definition: from the instance it builds to read the definition when it is
     * created (so they must not depend on one FSM's instance), else from the first FSM it hosts. Default: none.
     *
     * @return the listeners; null, or an exception, fails the supervisor's creation
     */
    protected List<FsmListener<P>> listeners() {
        return List.of();
    }

    /**
     * Whether the FSM fires {@code __end__} by itself when it enters a state whose only event is {@code __end__}
     * (a flowchart's final states), finishing it: for every such state. Default false: it waits in the final state.
     * Asked through {@link #autoTerminate(String)}, whose default answers this.
     */
    protected boolean autoTerminate() {
        return false;
    }

    /**
     * Whether the FSM finishes by itself when it enters the final state {@code state} (see {@link #autoTerminate()},
     * its default): override it to finish in some final states and wait in others, e.g. end at {@code cancelled} but
     * keep a {@code delivered} order for its returns. Called once per state and FSM incarnation, at the first need,
     * on the FSM's thread; an exception is recorded (stage {@code TERMINATE}) and counts as false.
     */
    protected boolean autoTerminate(String state) {
        return autoTerminate();
    }

    /**
     * How the hard event of {@code state} is retried when it fails: empty (the default) for not at all, so that a
     * failed hard event leaves the FSM in its state with the error, until a restart fires it again. Called for each
     * state when the supervisor is created (a policy for a state without a hard event, or with a fallback that is not
     * one of the event's targets, fails the creation with {@code IllegalArgumentException}), then once per state and
     * FSM incarnation, on the FSM's thread. An exception counts as no policy. See {@link Retry}.
     */
    protected Optional<Retry> retry(String state) {
        return Optional.empty();
    }

    // ---- versions ----

    /**
     * The version of this FSM's definition and code [1]. Every committed transition records it, and an FSM persisted
     * under another version is passed through {@link #migrate} when it is loaded. Raise it when a new definition
     * renames, splits or removes states. Called once per FSM incarnation, and once by the supervisor's startup check;
     * it must be at least 1.
     */
    protected int version() {
        return 1;
    }

    /**
     * States of earlier versions that this version renamed: old name to new name [none]. The default
     * {@link #migrate} applies them. The supervisor checks them when it starts: every new name must be a state of
     * {@link #definition()}, and no old name may still be one.
     */
    protected Map<String, String> renamedStates() {
        return Map.of();
    }

    /**
     * Maps an FSM persisted under version {@code fromVersion} (in {@code state}, with {@code payload}) into this
     * version's definition, when it is loaded: by {@code start}, or by a cluster that restores it. It runs before
     * any timer, delayed transition or hard event is re-armed, and its answer is persisted, with this version, before
     * the FSM runs. It is also called, with this version, for an FSM whose persisted state this definition lacks.
     *
     * <p>Return {@code Transition.to(state, payload)} with a state of this definition (a renamed or split state, a
     * migrated payload), or {@code Transition.fail(reason)}: the FSM is then not started, and its persisted state is
     * left as it was; the error names the FSM, the state and the version. The default renames by
     * {@link #renamedStates()} and keeps a state the definition has; it fails for any other.
     *
     * <p>Runs on the FSM's thread, like every callback; an exception fails the load as {@code Transition.fail} does.
     */
    protected Transition<P> migrate(int fromVersion, String state, P payload) throws Exception {
        String renamed = renamedStates().getOrDefault(state, state);
        if (definition().states().contains(renamed)) {
            return Transition.to(renamed, payload);
        }
        return Transition.fail("no migration maps it: override migrate(fromVersion, state, payload), or name its new "
                + "state in renamedStates(); the states of version " + version() + " are " + definition().states());
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

    /**
     * The engine's access to the hooks above, which are {@code protected}: the one bridge between the API and the
     * engine ({@link UserCode}), installed when this class initialises.
     */
    private static final class Hooks extends UserCode {
        @Override
        public FsmContext context(String supervisorId, String name, String persistenceId, Clock clock,
                                  ActorSystem<?> system, ActorContext<?> actor, Class<?> type) {
            return new FsmContext(supervisorId, name, persistenceId, clock, system, actor, type);
        }

        @Override
        public FsmDefinition definition(FsmBehavior<?> fsm) {
            return fsm.definition();
        }

        @Override
        public <P> Transition<P> onTransition(FsmBehavior<P> fsm, String state, String event, Object eventPayload,
                                              P payload) throws Exception {
            return fsm.onTransition(state, event, eventPayload, payload);
        }

        @Override
        public <P> P onStart(FsmBehavior<P> fsm, P payload) throws Exception {
            return fsm.onStart(payload);
        }

        @Override
        public <P> void onEnter(FsmBehavior<P> fsm, String state, FsmState<P> view) throws Exception {
            fsm.onEnter(state, view);
        }

        @Override
        public <P> void onExit(FsmBehavior<P> fsm, String state, FsmState<P> view) throws Exception {
            fsm.onExit(state, view);
        }

        @Override
        public <P> void onFailure(FsmBehavior<P> fsm, String event, Object eventPayload, FsmState<P> view)
                throws Exception {
            fsm.onFailure(event, eventPayload, view);
        }

        @Override
        public <P> void onRollback(FsmBehavior<P> fsm, String target, FsmState<P> view) throws Exception {
            fsm.onRollback(target, view);
        }

        @Override
        public <P> void onTerminate(FsmBehavior<P> fsm, FsmState<P> view, Termination reason) throws Exception {
            fsm.onTerminate(view, reason);
        }

        @Override
        public <P> TimerResult<P> onTimer(FsmBehavior<P> fsm, String state, FsmState<P> view) throws Exception {
            return fsm.onTimer(state, view);
        }

        @Override
        public Optional<Duration> timer(FsmBehavior<?> fsm, String state) {
            return fsm.timer(state);
        }

        @Override
        public Set<String> internalEvents(FsmBehavior<?> fsm) {
            return fsm.internalEvents();
        }

        @Override
        public <P> List<FsmListener<P>> listeners(FsmBehavior<P> fsm) {
            return fsm.listeners();
        }

        @Override
        public <P> List<Fork> onFork(FsmBehavior<P> fsm, String state, P payload) throws Exception {
            return fsm.onFork(state, payload);
        }

        @Override
        public Optional<Retry> retry(FsmBehavior<?> fsm, String state) {
            return fsm.retry(state);
        }

        @Override
        public boolean autoTerminate(FsmBehavior<?> fsm, String state) {
            return fsm.autoTerminate(state);
        }

        @Override
        public int version(FsmBehavior<?> fsm) {
            return fsm.version();
        }

        @Override
        public Map<String, String> renamedStates(FsmBehavior<?> fsm) {
            return fsm.renamedStates();
        }

        @Override
        public <P> Transition<P> migrate(FsmBehavior<P> fsm, int fromVersion, String state, P payload)
                throws Exception {
            return fsm.migrate(fromVersion, state, payload);
        }
    }
}
