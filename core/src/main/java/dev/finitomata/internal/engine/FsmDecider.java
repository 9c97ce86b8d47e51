package dev.finitomata.internal.engine;

import static org.slf4j.event.Level.DEBUG;
import static org.slf4j.event.Level.WARN;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmError;
import dev.finitomata.FsmListener;
import dev.finitomata.FsmState;
import dev.finitomata.Lifecycle;
import dev.finitomata.TimerResult;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.protocol.Data;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * INTERNAL API. Decides the transitions of one FSM incarnation, free of Pekko: accept → onExit → onTransition →
 * allowed → commit plan; the hooks around a commit, the timer, migrations, and the failure bookkeeping
 * ({@code lastError}, lifecycle). The FSM actor feeds it and turns its answers into persist effects; unit tests drive
 * it with plain {@link Data} values.
 *
 * <p>Design: every call into user code goes through {@link Guard}, which turns an exception (or a non-fatal JVM
 * error) into an {@link FsmError} of the stage it happened in; a fatal JVM error propagates. Failures are told to a
 * {@link Reporter} (the actor publishes them as {@code FsmFailed}).
 */
public final class FsmDecider<P> {

    /** The pseudo-state {@code "*"}. */
    public static final String STAR = FsmDefinition.PSEUDO_STATE;
    /** The event named in the errors of a migration. */
    public static final String MIGRATE_EVENT = "__migrate__";
    private static final UserCode HOOKS = UserCode.get();

    /** Where failures go besides {@code lastError}. */
    public interface Reporter {
        /** A failure was recorded. */
        void failed(FsmError error);

        /** A success cleared the last error. */
        void cleared();
    }

    /** After {@code onEnter}: the state to answer with, and the event the FSM fires by itself next, if any. */
    public record Entered<P>(FsmState<P> state, Optional<String> autoEvent) {
    }

    private final FsmBehavior<P> fsm;
    private final FsmDefinition definition;
    private final String name;
    private final Logger log;
    private final List<FsmListener<Object>> listeners;
    /** Refuses a payload that cannot be journaled, throwing IllegalArgumentException saying why. */
    private final Consumer<Object> payloadCheck;
    private final Reporter reporter;
    /** {@code autoTerminate(state)}, asked once per state, at first need (its failure is reported where it matters). */
    private final java.util.Map<String, Boolean> autoTerminate = new java.util.HashMap<>();
    private Optional<FsmError> lastError = Optional.empty();
    /** The refusal {@link #decide} just made that is business, not a fault (see {@link #business}); else null. */
    private FsmError businessRefusal;
    private Lifecycle lifecycle = Lifecycle.CREATED;
    private final int version;
    /** The state in which the FSM's own (hard or auto-terminating) event failed: it is not retried there. */
    private String autoFailedIn;

    public FsmDecider(FsmBehavior<P> fsm, FsmDefinition definition, String name, Logger log,
                      List<FsmListener<Object>> listeners, Consumer<Object> payloadCheck, Reporter reporter) {
        this.fsm = fsm;
        this.definition = definition;
        this.name = name;
        this.log = log;
        this.listeners = listeners;
        this.payloadCheck = payloadCheck;
        this.reporter = reporter;
        this.version = Versioning.versionOf(fsm);
    }

    /** The FSM's version, recorded with every transition it commits. */
    public int version() {
        return version;
    }

    public FsmDefinition definition() {
        return definition;
    }

    public Optional<FsmError> lastError() {
        return lastError;
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    public void lifecycle(Lifecycle next) {
        lifecycle = next;
    }

    /**
     * Whether an FSM recovered as {@code d} must pass through {@code migrate} before it runs: it has a life, and it
     * was persisted under another version, or in a state this definition lacks.
     */
    public boolean needsMigration(Data d) {
        return d.started() && (d.version() != version || !definition.states().contains(d.current()));
    }

    /**
     * {@code migrate(fromVersion, state, payload)} for the FSM recovered as {@code d}: the move to persist, or a
     * refusal (stage {@code START}) that names the FSM, the state and the versions.
     */
    public Step<P> migrate(Data d) {
        String state = d.current();
        String what = "FSM '" + name + "' persisted in state '" + state + "' by version " + d.version() + " of "
                + fsm.getClass().getSimpleName() + " cannot be loaded by version " + version + ": ";
        if (d.version() > version) {
            return refuse(FsmError.Stage.START, state, MIGRATE_EVENT, null, what + "it was written by a newer "
                    + "version; run that version, or one that knows it. Nothing was changed");
        }
        @SuppressWarnings("unchecked")
        P payload = (P) d.payload();
        Transition<P> migrated;
        try {
            migrated = Guard.call(() -> HOOKS.migrate(fsm, d.version(), state, payload));
        } catch (Guard.Threw e) {
            return refuse(FsmError.Stage.START, state, MIGRATE_EVENT, null, what + "migrate threw " + e.getMessage()
                    + ". Nothing was changed");
        }
        return switch (migrated) {
            case null -> refuse(FsmError.Stage.START, state, MIGRATE_EVENT, null, what + "migrate returned null. "
                    + "Nothing was changed");
            case Transition.Fail<P> fail -> refuse(FsmError.Stage.START, state, MIGRATE_EVENT, null, what
                    + fail.reason() + ". Nothing was changed");
            case Transition.To<P> to when !definition.states().contains(to.next()) -> refuse(FsmError.Stage.START,
                    state, MIGRATE_EVENT, null, what + "migrate chose '" + to.next() + "', which is not a state of "
                            + "version " + version + "; its states are " + definition.states()
                            + ". Nothing was changed");
            case Transition.To<P> to -> {
                String unjournalable = check(to.payload());
                yield unjournalable != null ? refuse(FsmError.Stage.START, state, MIGRATE_EVENT, null, what
                        + unjournalable) : new Step.Commit<>(state, MIGRATE_EVENT, to.next(), to.payload());
            }
        };
    }

    // ---- decisions ----

    /** A fresh start: {@code onStart}, then the entry event from {@code "*"}. */
    public Step<P> start(P initial) {
        P started;
        try {
            started = Guard.call(() -> HOOKS.onStart(fsm, initial));
        } catch (Guard.Threw e) {
            return refuse(FsmError.Stage.START, STAR, definition.entryEvent(), null, "onStart threw "
                    + e.getMessage());
        }
        if (started == null) {
            return refuse(FsmError.Stage.START, STAR, definition.entryEvent(), null,
                    "onStart returned null; return the payload to start with");
        }
        return decide(STAR, Data.EMPTY, definition.entryEvent(), null, started);
    }

    /**
     * The test kit's placing: {@code state} straight from {@code "*"}, with {@code payload} as it is (no
     * {@code onStart}, no {@code onTransition}). Refused when the definition has no such state.
     */
    public Step<P> place(String state, P payload) {
        if (!definition.states().contains(state)) {
            return refuse(FsmError.Stage.START, STAR, definition.entryEvent(), null, "cannot place the FSM in '"
                    + state + "': the definition has no such state; its states are " + definition.states());
        }
        String unjournalable = check(payload);
        if (unjournalable != null) {
            return refuse(FsmError.Stage.PERSIST, STAR, definition.entryEvent(), null, unjournalable);
        }
        return new Step.Commit<>(STAR, definition.entryEvent(), state, payload);
    }

    /** Accept → onExit → onTransition → allowed → payload check, from the current state of {@code d}. */
    public Step<P> decide(Data d, String event, Object eventPayload, P payload) {
        return decide(current(d), d, event, eventPayload, payload);
    }

    private Step<P> decide(String from, Data d, String event, Object eventPayload, P payload) {
        if (!definition.responds(from, event)) {
            return business(refuse(FsmError.Stage.ACCEPT, from, event, eventPayload, "state '" + from
                    + "' does not respond to event '" + event + "'; it responds to " + definition.eventsFrom(from)));
        }
        FsmState<P> view = view(d, payload);
        Transition<P> transition;
        try {
            if (!from.equals(STAR)) {
                Guard.run(() -> HOOKS.onExit(fsm, from, view));
            }
        } catch (Guard.Threw e) {
            return refuse(FsmError.Stage.EXIT, from, event, eventPayload, "onExit threw " + e.getMessage());
        }
        try {
            transition = Guard.call(() -> HOOKS.onTransition(fsm, from, event, eventPayload, payload));
        } catch (Guard.Threw e) {
            return refuse(FsmError.Stage.TRANSITION, from, event, eventPayload, "onTransition threw "
                    + e.getMessage());
        }
        return switch (transition) {
            case null -> refuse(FsmError.Stage.TRANSITION, from, event, eventPayload, "onTransition returned null; "
                    + "return Transition.to(state, payload) or Transition.fail(reason)");
            case Transition.Fail<P> fail -> business(refuse(FsmError.Stage.TRANSITION, from, event, eventPayload,
                    String.valueOf(fail.reason())));
            case Transition.To<P> to -> {
                Set<String> targets = definition.targets(from, event);
                if (!targets.contains(to.next())) {
                    String reason = "onTransition chose '" + to.next() + "', but event '" + event + "' in state '"
                            + from + "' may only lead to " + targets;
                    try {
                        Guard.run(() -> HOOKS.onRollback(fsm, to.next(), view));
                    } catch (Guard.Threw e) {
                        reason += " (and onRollback threw " + e.getMessage() + ")";
                    }
                    yield refuse(FsmError.Stage.ALLOWED, from, event, eventPayload, reason);
                }
                String unjournalable = check(to.payload());
                yield unjournalable != null ? refuse(FsmError.Stage.PERSIST, from, event, eventPayload,
                        unjournalable) : new Step.Commit<>(from, event, to.next(), to.payload(), to.delays());
            }
        };
    }

    /** Calls {@code onTimer} in the current state of {@code d} (which must run). */
    public TimerStep<P> tick(Data d) {
        String state = current(d);
        TimerResult<P> result;
        try {
            result = Guard.call(() -> HOOKS.onTimer(fsm, state, view(d)));
        } catch (Guard.Threw e) {
            return tickFailed(d, state, "onTimer threw " + e.getMessage());
        }
        return switch (result) {
            case null -> tickFailed(d, state, "onTimer returned null; return TimerResult.ok() to do nothing");
            case TimerResult.Ok<P> ok -> new TimerStep.Ok<>();
            case TimerResult.Update<P> update -> {
                String unjournalable = check(update.payload());
                yield unjournalable == null ? new TimerStep.Update<>(update.payload())
                        : tickFailed(d, state, unjournalable);
            }
            case TimerResult.Reschedule<P> again -> new TimerStep.Reschedule<>(again.delay());
            case TimerResult.Fire<P> move -> new TimerStep.Move<>(decide(d, move.event(), move.eventPayload(),
                    move.payload()));
        };
    }

    private TimerStep<P> tickFailed(Data d, String state, String reason) {
        FsmError error = error(FsmError.Stage.TIMER, state, "onTimer", null, reason);
        refused(d, error);
        return new TimerStep.Failed<>(error);
    }

    // ---- outcomes ----

    /**
     * A step was refused, or the journal failed it: records {@code lastError}, logs it, calls {@code onFailure}
     * (except for soft events, which are logged at DEBUG only) and reports it.
     */
    public void refused(Data d, FsmError error) {
        if (autoEvent(error.state()).map(error.event()::equals).orElse(false)) {
            autoFailedIn = error.state();
        }
        lastError = Optional.of(error);
        boolean business = error == businessRefusal;
        businessRefusal = null;
        if (FsmDefinition.isSoft(error.event())) {
            log.debug("FSM '{}': soft event failed: {}", name, error);
        } else {
            if (business) {
                log.debug("FSM '{}': {}", name, error);
            } else {
                log.warn("FSM '{}': {}", name, error);
            }
            try {
                Guard.run(() -> HOOKS.onFailure(fsm, error.event(), error.eventPayload(), view(d)));
            } catch (Guard.Threw e) {
                lastError = Optional.of(new FsmError(error.stage(), error.state(), error.event(),
                        error.eventPayload(), error.reason() + " (and onFailure threw " + e.getMessage() + ")"));
                log.warn("FSM '{}': onFailure threw {}", name, e.getMessage());
            }
        }
        reporter.failed(lastError.get());
    }

    /**
     * A transition was persisted: clears {@code lastError}, then tells the listeners. Answers the FSM's state (with a
     * listener's error, if one threw: recorded as {@code lastError}, stage {@code LISTENER}).
     */
    public FsmState<P> committed(Data after, String from, String event) {
        if (lastError.isPresent()) {
            lastError = Optional.empty();
            reporter.cleared();
        }
        autoFailedIn = null;
        String to = current(after);
        Object payload = after.payload();
        for (FsmListener<Object> listener : listeners) {
            try {
                Guard.run(() -> listener.afterTransition(name, to, payload));
            } catch (Guard.Threw e) {
                record(error(FsmError.Stage.LISTENER, to, event, null, "listener " + listener + " threw "
                        + e.getMessage() + " (the transition from '" + from + "' stands)"));
            }
        }
        return view(after);
    }

    /** After the timer is re-armed: {@code onEnter} of the new state, and the event the FSM fires by itself next. */
    public Entered<P> enter(Data after, String event) {
        String to = current(after);
        try {
            Guard.run(() -> HOOKS.onEnter(fsm, to, view(after)));
        } catch (Guard.Threw e) {
            record(error(FsmError.Stage.ENTER, to, event, null, "onEnter threw " + e.getMessage()));
        }
        Optional<String> next = autoEvent(to); // first: a failing autoTerminate() shows in the state answered
        return new Entered<>(view(after), next);
    }

    /** A placed FSM: no {@code onEnter}; its hard event, if its state has one, fires as on entering. */
    public Entered<P> placed(Data after) {
        Optional<String> next = autoEvent(current(after));
        return new Entered<>(view(after), next);
    }

    /** The run ends ({@code why}): {@code onTerminate}. Answers the last state (with its error, if it threw). */
    public FsmState<P> terminate(Data after, String event, dev.finitomata.Termination why) {
        try {
            Guard.run(() -> HOOKS.onTerminate(fsm, view(after), why));
        } catch (Guard.Threw e) {
            record(error(FsmError.Stage.TERMINATE, current(after), event, null, "onTerminate threw "
                    + e.getMessage() + " (the FSM " + why.name().toLowerCase(java.util.Locale.ROOT) + " all the same)"));
        }
        return view(after);
    }

    /** A start failed (stage {@code START} or the entry decision): records it; nothing was persisted. */
    public void startFailed(FsmError error) {
        lifecycle = Lifecycle.FAILED;
        lastError = Optional.of(error);
        log.atLevel(error == businessRefusal ? DEBUG : WARN).log("FSM '{}' failed to start: {}", name, error);
        reporter.failed(error);
    }

    /** The timer interval now; a {@code timer()} that throws is recorded and means no timer. */
    public Optional<Duration> timerInterval(String state) {
        try {
            Optional<Duration> interval = Guard.call(() -> HOOKS.timer(fsm, state));
            return interval == null ? Optional.empty() : interval;
        } catch (Guard.Threw e) {
            record(error(FsmError.Stage.TIMER, state, "timer()", null, "timer() threw " + e.getMessage()
                    + "; no timer until the next transition"));
            return Optional.empty();
        }
    }

    /** The event the FSM fires by itself in {@code state}: its hard event, or {@code __end__} when auto-terminating. */
    public Optional<String> autoEvent(String state) {
        Optional<String> hard = definition.hardEventOf(state);
        if (hard.isPresent()) {
            return hard;
        }
        return definition.endsOnly(state) && autoTerminates(state) ? Optional.of(FsmDefinition.END_EVENT)
                : Optional.empty();
    }

    private boolean autoTerminates(String state) {
        return autoTerminate.computeIfAbsent(state, s -> {
            try {
                return Guard.call(() -> HOOKS.autoTerminate(fsm, s));
            } catch (Guard.Threw e) {
                record(error(FsmError.Stage.TERMINATE, s, FsmDefinition.END_EVENT, null,
                        "autoTerminate() threw " + e.getMessage() + "; the FSM does not terminate by itself"));
                return false;
            }
        });
    }

    /** Whether the running FSM must fire its own event before anything else (so other commands wait). */
    public boolean autoPending(Data d) {
        return d.running() && !d.current().equals(autoFailedIn) // nor while its retry waits (it fires that)
                && autoEvent(d.current()).filter(e -> !d.pending().containsKey(HardRetries.id(e))).isPresent();
    }

    // ---- views ----

    public FsmState<P> view(Data d) {
        @SuppressWarnings("unchecked")
        P payload = (P) d.payload();
        return view(d, payload);
    }

    private FsmState<P> view(Data d, P payload) {
        return new FsmState<>(name, current(d), payload, d.history(), lastError, lifecycle);
    }

    /** The current state of {@code d}: {@code "*"} before the FSM's first transition. */
    public static String current(Data d) {
        return d.current() == null ? STAR : d.current();
    }

    /** {@code error}, about to be recorded, is reported elsewhere (summed up for all FSMs): logged at DEBUG only. */
    public void reportedElsewhere(FsmError error) {
        businessRefusal = error;
    }

    /** Records a failure that refuses no transition (a hook's, after which the transition stands; a failed write). */
    public void record(FsmError error) {
        lastError = Optional.of(error);
        log.atLevel(error == businessRefusal ? DEBUG : WARN).log("FSM '{}': {}", name, error);
        reporter.failed(error);
    }

    private String check(Object payload) {
        if (payload == null) {
            return null;
        }
        try {
            payloadCheck.accept(payload);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** A refusal that is business, not a fault (a state not taking an event, a fail): logged at DEBUG only. */
    private Step<P> business(Step<P> refusal) {
        businessRefusal = ((Step.Refuse<P>) refusal).error();
        return refusal;
    }

    private Step<P> refuse(FsmError.Stage stage, String state, String event, Object eventPayload, String reason) {
        return new Step.Refuse<>(error(stage, state, event, eventPayload, reason));
    }

    public static FsmError error(FsmError.Stage stage, String state, String event, Object eventPayload,
                                 String reason) {
        return new FsmError(stage, state, event, eventPayload, reason);
    }
}
