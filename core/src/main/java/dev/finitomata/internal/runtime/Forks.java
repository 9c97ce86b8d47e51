package dev.finitomata.internal.runtime;

import dev.finitomata.Fork;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmError;
import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.FsmListener;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.engine.FsmDecider;
import dev.finitomata.internal.engine.Guard;
import dev.finitomata.internal.engine.UserCode;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.Data;
import dev.finitomata.internal.protocol.Event;
import dev.finitomata.internal.protocol.ForkPending;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * INTERNAL API. The child FSMs one FSM forks ({@code FsmBehavior.onFork}): planned with a move into a state and
 * committed with it, started after the commit, and checked on until each has ended or the parent left the state.
 *
 * <p>Design: a fork is a pending entry of the parent, like its delayed events (an {@link Event.DelayScheduled} with the
 * id {@code fork:<supervisor>/<child>}, the fork's event, a {@link ForkPending} as payload, never due), so it is
 * journaled with the move, kept by snapshots, recovered, and consumed exactly once by the write that takes its event
 * ({@code DelayDone} in the same write). The parent pulls: every {@code finitomata.fork-check-interval}, and at once
 * when it recovers, it asks each child's supervisor for the child's state; a child that does not run is either over
 * (its history ends at {@code "*"}: its last payload is the fork's result) or is started (again: a start is
 * idempotent). So no message between child and parent has to survive a crash, on either facade.
 */
public final class Forks {

    /** The id prefix of a parent's pending forks. */
    public static final String PREFIX = "fork:";
    /** The event of the history entry recording a fork: {@code __fork__:<supervisor>/<child>}. */
    public static final String HISTORY_EVENT = "__fork__";
    static final String CHECK_KEY = "finitomata-fork-check";
    private static final UserCode HOOKS = UserCode.get();
    static final Plan NONE = new Plan(List.of(), List.of());
    /**
     * Whether a behavior class overrides {@code onFork} (a bridge method counts): the default forks nothing, so an FSM
     * whose class leaves it does not plan forks at all ({@code TransitionSteps}), on every move into another state.
     */
    private static final ClassValue<Boolean> FORKING = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != FsmBehavior.class; c = c.getSuperclass()) {
                try {
                    c.getDeclaredMethod("onFork", String.class, Object.class);
                    return true;
                } catch (NoSuchMethodException notHere) {
                    // its superclass, then
                }
            }
            return false;
        }
    };

    /** The forks of a move: the pending entries to commit with it, and the forks that failed at once. */
    record Plan(List<Event.DelayScheduled> events, List<Failure> failures) {
    }

    /** A fork given up ({@code fork} is null when {@code onFork} itself threw). */
    record Failure(Fork fork, FsmError error) {
    }

    private final FsmBehavior<?> fsm;
    private final FsmDefinition definition;
    private final Consumer<Object> payloadCheck;
    private final ActorContext<Command> actor;
    private final TimerScheduler<Command> timers;
    private final Duration interval;
    /** The pending forks whose child could not be reached, already logged once by this incarnation. */
    private final Set<String> unreachable = new HashSet<>();
    /** Questions about children whose answer ({@code ForkStatus}) has not come back yet: the test kit waits for it. */
    private int asking;

    Forks(FsmBehavior<?> fsm, FsmDefinition definition, Consumer<Object> payloadCheck, ActorContext<Command> actor,
          TimerScheduler<Command> timers, Duration interval) {
        this.fsm = fsm;
        this.definition = definition;
        this.payloadCheck = payloadCheck;
        this.actor = actor;
        this.timers = timers;
        this.interval = interval;
    }

    /** Whether FSMs of {@code type} fork: whether it overrides {@code onFork}. */
    static boolean forks(Class<?> type) {
        return FORKING.get(type);
    }

    /** Whether the pending entry {@code id} is a fork. */
    public static boolean isFork(String id) {
        return id.startsWith(PREFIX);
    }

    /** The history event that records the fork of {@code pending}. */
    public static String historyEvent(ForkPending pending) {
        return HISTORY_EVENT + ":" + pending.supervisor() + "/" + pending.name();
    }

    /** The forks of a move from {@code from} to {@code to} by {@code event}: only when it enters another state. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Plan plan(String from, String to, String event, Object payload) {
        if (from.equals(to) || to.equals(FsmDecider.STAR)) {
            return NONE;
        }
        List<Fork> forks;
        try {
            forks = Guard.call(() -> HOOKS.onFork((FsmBehavior) fsm, to, payload));
        } catch (Guard.Threw e) {
            return new Plan(List.of(), List.of(new Failure(null, FsmDecider.error(FsmError.Stage.ENTER, to, event,
                    null, "onFork threw " + e.getMessage() + "; the move stands, without forks"))));
        }
        if (forks == null || forks.isEmpty()) {
            return NONE;
        }
        List<Event.DelayScheduled> events = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Fork fork : forks) {
            String id = PREFIX + fork.supervisor() + "/" + fork.name();
            String wrong = !definition.responds(to, fork.event()) ? "its event '" + fork.event() + "' is not one "
                    + "state '" + to + "' responds to; it responds to " + definition.eventsFrom(to)
                    : !ids.add(id) ? "another fork of the same move starts the same child" : unjournalable(fork);
            if (wrong != null) {
                failures.add(new Failure(fork, FsmDecider.error(FsmError.Stage.ENTER, to, event, null, "the fork of '"
                        + fork.name() + "' (supervisor '" + fork.supervisor() + "') is given up: " + wrong)));
            } else {
                events.add(new Event.DelayScheduled(id, fork.event(), new ForkPending(fork.supervisor(), fork.name(),
                        fork.payload()), Long.MAX_VALUE));
            }
        }
        return new Plan(events, failures);
    }

    private String unjournalable(Fork fork) {
        try {
            if (fork.payload() != null) {
                payloadCheck.accept(fork.payload());
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The forks of {@code d} that have not ended. */
    static List<Event.DelayScheduled> pending(Data d) {
        return d.pending().values().stream().filter(p -> isFork(p.id()) && p.eventPayload() instanceof ForkPending)
                .toList();
    }

    /** A move was committed with {@code plan}: start its children, and check on them from now on. */
    void committed(Plan plan) {
        plan.events().forEach(e -> start(e.id(), (ForkPending) e.eventPayload()));
        if (!plan.events().isEmpty()) {
            timers.startSingleTimer(CHECK_KEY, new Command.ForkCheck(), interval);
        }
    }

    /** The FSM runs again (recovered, loaded, the journal back): check on its pending forks now, and from now on. */
    void resume(Data d) {
        if (!pending(d).isEmpty()) {
            actor.getSelf().tell(new Command.ForkCheck()); // (it arms the next one)
        }
    }

    /** A check: ask after every pending fork's child, and check again after the interval; none left, no more. */
    void check(Data d) {
        List<Event.DelayScheduled> forks = pending(d);
        if (forks.isEmpty()) {
            timers.cancel(CHECK_KEY);
            return;
        }
        forks.forEach(f -> check(f.id(), (ForkPending) f.eventPayload()));
        timers.startSingleTimer(CHECK_KEY, new Command.ForkCheck(), interval);
    }

    /** The child of fork {@code id} does not run and has not ended: start it (a start is idempotent). */
    void start(String id, ForkPending fork) {
        Optional<FsmSupervisor<Object>> supervisor = supervisor(id, fork);
        asking++;
        supervisor.ifPresent(s -> actor.pipeToSelf(s.start(fork.name(), fork.payload()), (started, failure) ->
                failure == null ? new Command.ForkStatus(id, Command.ForkStatus.Kind.RUNNING, null, null)
                        : refused(id, fork, failure)));
    }

    private void check(String id, ForkPending fork) {
        asking++;
        supervisor(id, fork).ifPresent(s -> {
            CompletionStage<Command.ForkStatus> status = s.state(fork.name()).thenCompose(state -> state.isPresent()
                    ? CompletableFuture.completedFuture(new Command.ForkStatus(id, Command.ForkStatus.Kind.RUNNING,
                    null, null))
                    : s.history(fork.name()).thenApply(history -> ended(id, history)));
            actor.pipeToSelf(status, (known, failure) -> failure == null ? known : unknown(id, fork,
                    "asking after it failed: " + Guard.describe(unwrap(failure))));
        });
    }

    private static Command.ForkStatus ended(String id, List<FsmHistoryEntry<Object>> history) {
        FsmHistoryEntry<Object> last = history.isEmpty() ? null : history.get(history.size() - 1);
        return last != null && last.to().equals(FsmDecider.STAR)
                ? new Command.ForkStatus(id, Command.ForkStatus.Kind.ENDED, last.payload(), null)
                : new Command.ForkStatus(id, Command.ForkStatus.Kind.NOT_RUNNING, null, null);
    }

    @SuppressWarnings("unchecked")
    private Optional<FsmSupervisor<Object>> supervisor(String id, ForkPending fork) {
        Optional<FsmSupervisor<?>> found = Probes.of(actor.getSystem()).supervisor(fork.supervisor());
        if (found.isEmpty()) {
            actor.getSelf().tell(unknown(id, fork, "there is no supervisor '" + fork.supervisor() + "' on this node "
                    + "(create it, on every node, before FSMs fork into it)"));
        }
        return found.map(s -> (FsmSupervisor<Object>) s);
    }

    /** A start that failed: refused by the child (given up), or unknown (tried again at the next check). */
    private Command.ForkStatus refused(String id, ForkPending fork, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof FsmTransitionException refusal && refusal.error().stage() == FsmError.Stage.START
                && !refusal.error().reason().contains("unavailable")) {
            return new Command.ForkStatus(id, Command.ForkStatus.Kind.REFUSED, null, FsmDecider.error(
                    FsmError.Stage.START, refusal.error().state(), refusal.error().event(), null, "the start of '"
                            + fork.name() + "' (supervisor '" + fork.supervisor() + "') was refused: "
                            + refusal.error().reason()));
        }
        return unknown(id, fork, "its start failed: " + Guard.describe(cause));
    }

    private static Command.ForkStatus unknown(String id, ForkPending fork, String why) {
        return new Command.ForkStatus(id, Command.ForkStatus.Kind.UNKNOWN, null, FsmDecider.error(
                FsmError.Stage.START, "*", "start", null, "the child '" + fork.name() + "' (supervisor '"
                        + fork.supervisor() + "') could not be reached: " + why));
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Whether a question about a child is under way (its {@code ForkStatus} is on its way back). */
    boolean asking() {
        return asking > 0;
    }

    /** A {@code ForkStatus} came back. */
    void answered() {
        asking = Math.max(0, asking - 1);
    }

    /** Whether to log that the child of fork {@code id} could not be reached: once per fork and incarnation. */
    boolean firstUnreachable(String id) {
        return unreachable.add(id);
    }

    /** Tells {@code listeners} that {@code name} gave up {@code failure}'s fork; a listener that throws is recorded. */
    static void tell(List<FsmListener<Object>> listeners, String name, Failure failure, Consumer<FsmError> record) {
        for (FsmListener<Object> listener : listeners) {
            try {
                Guard.run(() -> listener.afterForkFailure(name, failure.fork(), failure.error()));
            } catch (Guard.Threw e) {
                record.accept(FsmDecider.error(FsmError.Stage.LISTENER, failure.error().state(), "afterForkFailure",
                        null, "listener " + listener + " threw " + e.getMessage()));
            }
        }
    }
}
