package dev.finitomata;

import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.FsmProtocol.Data;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The decisions of one FSM incarnation, free of Pekko: accept → onExit → onTransition → allowed → commit plan, the
 * hooks around a commit, the timer, and the failure bookkeeping ({@code lastError}, lifecycle). {@link FsmActor}
 * feeds it and turns its answers into persist effects; unit tests drive it with plain {@link Data} values.
 *
 * <p>Design: every call into user code goes through one guard that turns an exception (or a non-fatal JVM error)
 * into an {@link FsmError} of the stage it happened in; only an error that signals a broken JVM
 * ({@link VirtualMachineError} other than a stack overflow) escapes, and the actor restarts. Failures are told to a
 * {@link Reporter} (the actor publishes them as {@link FsmFailed}).
 */
final class FsmCore<P> {

    static final String STAR = FsmDefinition.PSEUDO_STATE;
    /** The event named in the errors of a migration. */
    static final String MIGRATE_EVENT = "__migrate__";

    /** Where failures go besides {@code lastError}. */
    interface Reporter {
        /** A failure was recorded. */
        void failed(FsmError error);

        /** A success cleared the last error. */
        void cleared();
    }

    /** What to do with an event: commit a transition, or refuse it. */
    sealed interface Step<P> {
        /** Persist the move {@code from --event--> to} with {@code payload}. */
        record Commit<P>(String from, String event, String to, P payload) implements Step<P> {
        }

        /** Refuse: nothing is persisted; {@code error} says why. */
        record Refuse<P>(FsmError error) implements Step<P> {
        }
    }

    /** What a timer tick decided. */
    sealed interface Tick<P> {
        /** Nothing to persist; re-arm the timer. */
        record Ok<P>() implements Tick<P> {
        }

        /** Persist a new payload. */
        record Update<P>(P payload) implements Tick<P> {
        }

        /** Tick next after {@code delay}. */
        record Reschedule<P>(Duration delay) implements Tick<P> {
        }

        /** Take this step (a transition chosen by the timer). */
        record Move<P>(Step<P> step) implements Tick<P> {
        }

        /** The tick failed (already recorded); re-arm the timer. */
        record Failed<P>(FsmError error) implements Tick<P> {
        }
    }

    /** After {@code onEnter}: the state to answer with, and the event the FSM fires by itself next, if any. */
    record Entered<P>(FsmState<P> state, Optional<String> autoEvent) {
    }

    private final FsmBehavior<P> fsm;
    private final FsmDefinition definition;
    private final String name;
    private final Logger log;
    private final List<FsmListener<Object>> listeners;
    /** Refuses a payload that cannot be journaled, throwing IllegalArgumentException saying why. */
    private final Consumer<Object> payloadCheck;
    private final Reporter reporter;
    /** {@code autoTerminate()}, asked once, at first need (so that its failure is reported where it matters). */
    private Boolean autoTerminate;
    private Optional<FsmError> lastError = Optional.empty();
    private Lifecycle lifecycle = Lifecycle.CREATED;
    private final int version;
    /** The state in which the FSM's own (hard or auto-terminating) event failed: it is not retried there. */
    private String autoFailedIn;

    FsmCore(FsmBehavior<P> fsm, FsmDefinition definition, String name, Logger log,
            List<FsmListener<Object>> listeners, Consumer<Object> payloadCheck, Reporter reporter) {
        this.fsm = fsm;
        this.definition = definition;
        this.name = name;
        this.log = log;
        this.listeners = listeners;
        this.payloadCheck = payloadCheck;
        this.reporter = reporter;
        this.version = versionOf(fsm);
    }

    /**
     * The FSM's {@code version()}.
     *
     * @throws IllegalStateException if it is below 1 or throws
     */
    static int versionOf(FsmBehavior<?> fsm) {
        int version;
        try {
            version = fsm.version();
        } catch (RuntimeException e) {
            throw new IllegalStateException(fsm.getClass().getName() + ".version() threw " + describe(e), e);
        }
        if (version < 1) {
            throw new IllegalStateException(fsm.getClass().getName() + ".version() is " + version
                    + "; versions start at 1");
        }
        return version;
    }

    /** The FSM's version, recorded with every transition it commits. */
    int version() {
        return version;
    }

    /**
     * Whether an FSM recovered as {@code d} must pass through {@code migrate} before it runs: it has a life, and it
     * was persisted under another version, or in a state this definition lacks.
     */
    boolean needsMigration(Data d) {
        return d.started() && (d.version() != version || !definition.states().contains(d.current()));
    }

    /**
     * {@code migrate(fromVersion, state, payload)} for the FSM recovered as {@code d}: the move to persist, or a
     * refusal (stage {@code START}) that names the FSM, the state and the versions.
     */
    Step<P> migrate(Data d) {
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
            migrated = fsm.migrate(d.version(), state, payload);
        } catch (Throwable e) {
            rethrowIfFatal(e);
            return refuse(FsmError.Stage.START, state, MIGRATE_EVENT, null, what + "migrate threw " + describe(e)
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

    FsmDefinition definition() {
        return definition;
    }

    Optional<FsmError> lastError() {
        return lastError;
    }

    Lifecycle lifecycle() {
        return lifecycle;
    }

    void lifecycle(Lifecycle next) {
        lifecycle = next;
    }

    // ---- decisions ----

    /** A fresh start: {@code onStart}, then the entry event from {@code "*"}. */
    Step<P> start(P initial) {
        P started;
        try {
            started = fsm.onStart(initial);
        } catch (Throwable e) {
            rethrowIfFatal(e);
            return refuse(FsmError.Stage.START, STAR, definition.entryEvent(), null, "onStart threw " + describe(e));
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
    Step<P> place(String state, P payload) {
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
    Step<P> decide(Data d, String event, Object eventPayload, P payload) {
        return decide(current(d), d, event, eventPayload, payload);
    }

    private Step<P> decide(String from, Data d, String event, Object eventPayload, P payload) {
        if (!definition.responds(from, event)) {
            return refuse(FsmError.Stage.ACCEPT, from, event, eventPayload, "state '" + from
                    + "' does not respond to event '" + event + "'; it responds to " + definition.eventsFrom(from));
        }
        FsmState<P> view = view(d, payload);
        if (!from.equals(STAR)) {
            try {
                fsm.onExit(from, view);
            } catch (Throwable e) {
                rethrowIfFatal(e);
                return refuse(FsmError.Stage.EXIT, from, event, eventPayload, "onExit threw " + describe(e));
            }
        }
        Transition<P> transition;
        try {
            transition = fsm.onTransition(from, event, eventPayload, payload);
        } catch (Throwable e) {
            rethrowIfFatal(e);
            return refuse(FsmError.Stage.TRANSITION, from, event, eventPayload, "onTransition threw " + describe(e));
        }
        if (transition == null) {
            return refuse(FsmError.Stage.TRANSITION, from, event, eventPayload, "onTransition returned null; "
                    + "return Transition.to(state, payload) or Transition.fail(reason)");
        }
        return switch (transition) {
            case Transition.Fail<P> fail -> refuse(FsmError.Stage.TRANSITION, from, event, eventPayload,
                    String.valueOf(fail.reason()));
            case Transition.To<P> to -> {
                Set<String> targets = definition.targets(from, event);
                if (!targets.contains(to.next())) {
                    String reason = "onTransition chose '" + to.next() + "', but event '" + event + "' in state '"
                            + from + "' may only lead to " + targets;
                    try {
                        fsm.onRollback(to.next(), view);
                    } catch (Throwable e) {
                        rethrowIfFatal(e);
                        reason += " (and onRollback threw " + describe(e) + ")";
                    }
                    yield refuse(FsmError.Stage.ALLOWED, from, event, eventPayload, reason);
                }
                String unjournalable = check(to.payload());
                if (unjournalable != null) {
                    yield refuse(FsmError.Stage.PERSIST, from, event, eventPayload, unjournalable);
                }
                yield new Step.Commit<>(from, event, to.next(), to.payload());
            }
        };
    }

    /** Calls {@code onTimer} in the current state of {@code d} (which must run). */
    Tick<P> tick(Data d) {
        String state = current(d);
        TimerResult<P> result;
        try {
            result = fsm.onTimer(state, view(d));
        } catch (Throwable e) {
            rethrowIfFatal(e);
            return tickFailed(d, state, "onTimer threw " + describe(e));
        }
        if (result == null) {
            return tickFailed(d, state, "onTimer returned null; return TimerResult.ok() to do nothing");
        }
        return switch (result) {
            case TimerResult.Ok<P> ok -> new Tick.Ok<>();
            case TimerResult.Update<P> update -> {
                String unjournalable = check(update.payload());
                yield unjournalable == null ? new Tick.Update<>(update.payload()) : tickFailed(d, state, unjournalable);
            }
            case TimerResult.Reschedule<P> again -> new Tick.Reschedule<>(again.delay());
            case TimerResult.Fire<P> move -> new Tick.Move<>(decide(d, move.event(), move.eventPayload(),
                    move.payload()));
        };
    }

    private Tick<P> tickFailed(Data d, String state, String reason) {
        FsmError error = error(FsmError.Stage.TIMER, state, "onTimer", null, reason);
        refused(d, error);
        return new Tick.Failed<>(error);
    }

    // ---- outcomes ----

    /**
     * A step was refused, or the journal failed it: records {@code lastError}, logs it, calls {@code onFailure}
     * (except for soft events, which are logged at DEBUG only) and reports it.
     */
    void refused(Data d, FsmError error) {
        if (autoEvent(error.state()).map(error.event()::equals).orElse(false)) {
            autoFailedIn = error.state();
        }
        lastError = Optional.of(error);
        if (FsmDefinition.isSoft(error.event())) {
            log.debug("FSM '{}': soft event failed: {}", name, error);
        } else {
            log.warn("FSM '{}': {}", name, error);
            try {
                fsm.onFailure(error.event(), error.eventPayload(), view(d));
            } catch (Throwable e) {
                rethrowIfFatal(e);
                lastError = Optional.of(new FsmError(error.stage(), error.state(), error.event(),
                        error.eventPayload(), error.reason() + " (and onFailure threw " + describe(e) + ")"));
                log.warn("FSM '{}': onFailure threw {}", name, describe(e));
            }
        }
        reporter.failed(lastError.get());
    }

    /**
     * A transition was persisted: clears {@code lastError}, then tells the listeners. Answers the FSM's state (with a
     * listener's error, if one threw).
     */
    FsmState<P> committed(Data after, String from, String event) {
        if (lastError.isPresent()) {
            lastError = Optional.empty();
            reporter.cleared();
        }
        autoFailedIn = null;
        String to = current(after);
        Object payload = after.payload();
        for (FsmListener<Object> listener : listeners) {
            try {
                listener.afterTransition(name, to, payload);
            } catch (Throwable e) {
                rethrowIfFatal(e);
                record(error(FsmError.Stage.LISTENER, to, event, null, "listener " + listener + " threw "
                        + describe(e) + " (the transition from '" + from + "' stands)"));
            }
        }
        return view(after);
    }

    /** After the timer is re-armed: {@code onEnter} of the new state, and the event the FSM fires by itself next. */
    Entered<P> enter(Data after, String event) {
        String to = current(after);
        try {
            fsm.onEnter(to, view(after));
        } catch (Throwable e) {
            rethrowIfFatal(e);
            record(error(FsmError.Stage.ENTER, to, event, null, "onEnter threw " + describe(e)));
        }
        Optional<String> next = autoEvent(to);
        return new Entered<>(view(after), next);
    }

    /** A placed FSM: no {@code onEnter}; its hard event, if its state has one, fires as on entering. */
    Entered<P> placed(Data after) {
        return new Entered<>(view(after), autoEvent(current(after)));
    }

    /** The FSM reached {@code "*"}: {@code onTerminate}. Answers the final state (with its error, if it threw). */
    FsmState<P> terminate(Data after, String event) {
        try {
            fsm.onTerminate(view(after));
        } catch (Throwable e) {
            rethrowIfFatal(e);
            record(error(FsmError.Stage.TERMINATE, STAR, event, null, "onTerminate threw " + describe(e)
                    + " (the FSM finished all the same)"));
        }
        return view(after);
    }

    /** A start failed (stage {@code START} or the entry decision): records it; nothing was persisted. */
    void startFailed(FsmError error) {
        lifecycle = Lifecycle.FAILED;
        lastError = Optional.of(error);
        log.warn("FSM '{}' failed to start: {}", name, error);
        reporter.failed(error);
    }

    // ---- guarded hooks ----

    /** The timer interval now; a {@code timer()} that throws is recorded and means no timer. */
    Optional<Duration> timerInterval(String state) {
        try {
            Optional<Duration> interval = fsm.timer();
            return interval == null ? Optional.empty() : interval;
        } catch (Throwable e) {
            rethrowIfFatal(e);
            record(error(FsmError.Stage.TIMER, state, "timer()", null, "timer() threw " + describe(e)
                    + "; no timer until the next transition"));
            return Optional.empty();
        }
    }

    /** The event the FSM fires by itself in {@code state}: its hard event, or {@code __end__} when auto-terminating. */
    Optional<String> autoEvent(String state) {
        Optional<String> hard = definition.hardEventOf(state);
        if (hard.isPresent()) {
            return hard;
        }
        Set<String> events = definition.eventsFrom(state);
        return events.size() == 1 && events.contains(FsmDefinition.END_EVENT) && autoTerminates(state)
                ? Optional.of(FsmDefinition.END_EVENT) : Optional.empty();
    }

    private boolean autoTerminates(String state) {
        if (autoTerminate == null) {
            try {
                autoTerminate = fsm.autoTerminate();
            } catch (Throwable e) {
                rethrowIfFatal(e);
                autoTerminate = false;
                record(error(FsmError.Stage.TERMINATE, state, FsmDefinition.END_EVENT, null,
                        "autoTerminate() threw " + describe(e) + "; the FSM does not terminate by itself"));
            }
        }
        return autoTerminate;
    }

    /** Whether the running FSM must fire its own event before anything else (so other commands wait). */
    boolean autoPending(Data d) {
        return d.running() && !d.current().equals(autoFailedIn) && autoEvent(d.current()).isPresent();
    }

    // ---- views ----

    FsmState<P> view(Data d) {
        @SuppressWarnings("unchecked")
        P payload = (P) d.payload();
        return view(d, payload);
    }

    private FsmState<P> view(Data d, P payload) {
        return new FsmState<>(name, current(d), payload, d.history(), lastError, lifecycle);
    }

    static String current(Data d) {
        return d.current() == null ? STAR : d.current();
    }

    // ---- helpers ----

    /** Records a failure that refuses no transition (a hook's, after which the transition stands; a failed write). */
    void record(FsmError error) {
        lastError = Optional.of(error);
        log.warn("FSM '{}': {}", name, error);
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

    private Step<P> refuse(FsmError.Stage stage, String state, String event, Object eventPayload, String reason) {
        return new Step.Refuse<>(error(stage, state, event, eventPayload, reason));
    }

    static FsmError error(FsmError.Stage stage, String state, String event, Object eventPayload, String reason) {
        return new FsmError(stage, state, event, eventPayload, reason);
    }

    /** Errors that mean the JVM is in trouble are not a failed transition: the actor restarts (or the JVM dies). */
    static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
            throw fatal;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }

    static String describe(Throwable e) {
        return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
