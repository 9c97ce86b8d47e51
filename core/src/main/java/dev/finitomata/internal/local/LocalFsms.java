package dev.finitomata.internal.local;

import dev.finitomata.FsmDetails;
import dev.finitomata.FsmFactory;
import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.FsmListener;
import dev.finitomata.FsmLocation;
import dev.finitomata.FsmQuery;
import dev.finitomata.FsmState;
import dev.finitomata.FsmSummary;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.StartResult;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.facade.Answers;
import dev.finitomata.internal.facade.FacadeSupport;
import dev.finitomata.internal.payload.PayloadMigrations;
import dev.finitomata.internal.payload.PayloadVerifier;
import dev.finitomata.internal.pekko.SchedulerClock;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.Replies;
import dev.finitomata.internal.runtime.FsmSettings;
import dev.finitomata.internal.runtime.FsmType;
import dev.finitomata.internal.runtime.PluginCheck;
import dev.finitomata.internal.runtime.Probes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.InvalidActorNameException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.LoggerFactory;


/**
 * INTERNAL API. The engine of the local facade {@code Finitomata}, which delegates every call here.
 *
 * <p>Each FSM is a child actor of a supervisor actor named {@code finitomata-<id>} ({@link LocalSupervisor}).
 * Transitions go straight to the FSM's actor through its gate ({@link LocalHost}); starts, stops and deletes go
 * through the supervisor, and a call made while one of those is in flight is ordered behind it. A call on a name
 * that does not run is answered at once, never after a timeout (the lifecycle table is in docs/runtime.md).
 * Thread-safe; every method returns at once. The test kit reaches a facade's engine through {@link #of}.
 *
 * @param <P> the payload type of the FSMs
 */
public final class LocalFsms<P> implements FsmSupervisor<P> {

    private static final Map<FsmSupervisor<?>, LocalFsms<?>> ENGINES =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final ActorSystem<?> system;
    private final FsmType environment;
    private final FacadeSupport support;
    /** The latest incarnation of every name: the supervisor adds and removes them, each opens its gate while it runs. */
    private final Map<String, LocalHost> hosts = new ConcurrentHashMap<>();
    private final Running running;
    /**
     * Names with a start, stop or delete of this facade in flight, or a call held behind one and not routed yet, and
     * how many.
     */
    private final Map<String, Integer> busy = new ConcurrentHashMap<>();
    private final ActorRef<LocalSupervisor.Msg> supervisor;
    private final ActorRef<Replies.Reply> drops;
    private final Duration timeout;

    /** Whether the journal and snapshot store work: every call to an FSM waits for it (see PluginCheck). */
    private final PluginCheck stores;

    public LocalFsms(ActorSystem<?> system, String id, Class<?> type, FsmFactory<P> factory) {
        this.system = system;
        FsmSettings settings = FsmSettings.from(system.settings().config()).withClock(SchedulerClock.of(system));
        this.stores = FacadeSupport.checkStores(system, settings, id);
        PayloadMigrations.load(system);
        this.timeout = settings.askTimeout();
        this.environment = new FsmType(system, id, type, settings, new PayloadVerifier(system,
                settings.verifyPayloads()));
        this.running = new Running(environment.index(), settings,
                dev.finitomata.testkit.VirtualTime.of(system) != null);
        this.support = new FacadeSupport(environment, LoggerFactory.getLogger("dev.finitomata.Finitomata"));
        support.probeDefinition(system, factory); // and the startup check of its versioning: before any actor
        String actorName = "finitomata-" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        try {
            this.supervisor = system.systemActorOf(LocalSupervisor.create(environment, factory, hosts, running,
                    this::release), actorName, Props.empty());
        } catch (InvalidActorNameException e) {
            throw new IllegalStateException("a Finitomata with id '" + id + "' already runs in ActorSystem '"
                    + system.name() + "': ids must be unique per ActorSystem", e);
        }
        this.drops = system.systemActorOf(support.dropCounter(), actorName + "-drops", Props.empty());
        Probes.of(system).created(environment, this);
    }

    @Override
    public String id() {
        return environment.supervisorId();
    }

    @Override
    public CompletionStage<StartResult> start(String name, P payload) {
        support.checkName(name);
        support.verifyPayload(payload);
        return lifecycle(name, replyTo -> new Command.Init(payload, null, replyTo),
                (Replies.StartReply reply) -> support.startResult(name, reply));
    }

    /** The test kit's {@code startIn}: a start that places a fresh FSM in {@code state}. */
    public CompletionStage<StartResult> startIn(String name, String state, P payload) {
        support.checkName(name);
        support.verifyPayload(payload);
        Objects.requireNonNull(state, "state");
        return lifecycle(name, replyTo -> new Command.Init(payload, state, replyTo),
                (Replies.StartReply reply) -> support.startResult(name, reply));
    }

    /** The test kit's wait for an FSM to have nothing under way, routed as any call to it. */
    public CompletionStage<Replies.Settled> settle(String name) {
        return ask(name, replyTo -> new Command.Settle(replyTo, -1), Replies.Settled::new, settled -> settled);
    }

    /**
     * The test kit's wait for the wake index to have no write in flight ({@link LocalSupervisor.IndexSettle}); at once
     * when every change told to it is written, the usual case, which saves the kit an ask per step of virtual time.
     */
    public CompletionStage<Done> settleWakeIndex() {
        if (running.indexIdle()) {
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        return AskPattern.ask(supervisor, LocalSupervisor.IndexSettle::new, timeout, system.scheduler())
                .thenCompose(done -> settleWakeIndex()); // (a change on its way came after the ask)
    }

    @Override
    public void transition(String name, String event, Object eventPayload) {
        support.checkName(name);
        support.checkEvent(event, eventPayload);
        send(name, event, new Command.Fire(event, eventPayload, drops, false));
    }

    @Override
    public void transition(String name, String event, Object eventPayload, Duration delay) {
        support.checkName(name);
        support.checkEvent(event, eventPayload);
        FacadeSupport.checkDelay(delay);
        send(name, event, new Command.Schedule(event, eventPayload, delay.toMillis(), drops));
    }

    private void send(String name, String event, Command command) {
        stores.run(() -> sendNow(name, event, command), failure -> support.dropped(name, event));
    }

    private void sendNow(String name, String event, Command command) {
        if (holdBehind(name)) {
            supervisor.tell(new LocalSupervisor.Forward(name, command, true));
            return;
        }
        LocalHost fsm = hosts.get(name);
        if (fsm == null) {
            support.dropped(name, event);
            return;
        }
        int route = inDoubt(fsm) ? LocalHost.VIA_SUPERVISOR : fsm.enterOrRoute();
        if (route == LocalHost.ENTERED) {
            try {
                fsm.fsm().tell(command);
            } finally {
                fsm.leave();
            }
        } else if (route == LocalHost.VIA_SUPERVISOR) {
            busy.merge(name, 1, Integer::sum);
            supervisor.tell(new LocalSupervisor.Forward(name, command, true));
        } else {
            support.dropped(name, event);
        }
    }

    @Override
    public CompletionStage<FsmState<P>> transitionAndWait(String name, String event, Object eventPayload) {
        support.checkName(name);
        support.checkEvent(event, eventPayload);
        return this.<Replies.Reply, FsmState<P>>ask(name, replyTo -> new Command.Fire(event, eventPayload, replyTo,
                true), () -> new Replies.NotRunning(name, event), reply -> support.<P>state(name, reply));
    }

    @Override
    public CompletionStage<Optional<FsmState<P>>> state(String name) {
        support.checkName(name);
        return this.<Replies.StateReply, Optional<FsmState<P>>>ask(name, Command.GetState::new,
                () -> new Replies.StateReply(null), reply -> support.<P>state(name, reply));
    }

    @Override
    public CompletionStage<Done> timerTick(String name) {
        support.checkName(name);
        return this.<Replies.Reply, Done>ask(name, Command.TimerTick::new,
                () -> new Replies.NotRunning(name, "timerTick"), reply -> support.stopped(name, reply));
    }

    @Override
    public CompletionStage<Done> resetTimer(String name) {
        support.checkName(name);
        return this.<Replies.Reply, Done>ask(name, Command.ResetTimer::new,
                () -> new Replies.NotRunning(name, "resetTimer"), reply -> support.stopped(name, reply));
    }

    @Override
    public CompletionStage<Optional<FsmDetails<P>>> details(String name) {
        support.checkName(name);
        return this.<Replies.DetailsReply, Optional<FsmDetails<P>>>ask(name, Command.Inspect::new,
                () -> Replies.DetailsReply.NOT_RUNNING, support::<P>details);
    }

    @Override
    public CompletionStage<Boolean> alive(String name) {
        support.checkName(name);
        if (busy.containsKey(name)) {
            return this.<Replies.AliveReply, Boolean>ask(name, Command.IsAlive::new,
                    () -> new Replies.AliveReply(false), Replies.AliveReply::alive);
        }
        LocalHost fsm = hosts.get(name);
        return CompletableFuture.completedFuture(fsm != null && fsm.runs()); // a passivated one is not woken
    }

    /**
     * Asks the FSM {@code name}: through the supervisor while a lifecycle call of this facade is in flight for it,
     * directly when it runs, and not at all when it does not run ({@code notRunning} is the answer); the reply is
     * mapped to the caller's result where it arrives ({@link Answers}).
     */
    private <R, T> CompletionStage<T> ask(String name, Function<ActorRef<R>, Command> command,
                                          java.util.function.Supplier<R> notRunning, Function<R, T> result) {
        return Answers.map(stores.gate(() -> askNow(name, command, notRunning)), result);
    }

    private <R> CompletionStage<R> askNow(String name, Function<ActorRef<R>, Command> command,
                                          java.util.function.Supplier<R> notRunning) {
        if (holdBehind(name)) {
            return AskPattern.ask(supervisor, replyTo -> new LocalSupervisor.Forward(name, command.apply(replyTo),
                    true), timeout, system.scheduler());
        }
        LocalHost fsm = hosts.get(name);
        int route = fsm == null ? LocalHost.NOT_RUNNING : fsm.enterOrRoute();
        if (route == LocalHost.NOT_RUNNING) {
            return CompletableFuture.completedFuture(notRunning.get());
        }
        try {
            // in doubt, the supervisor answers for it at once, or holds it for the probe's verdict; passivating or
            // passivated, it holds the call or wakes the FSM for it
            if (route == LocalHost.VIA_SUPERVISOR || inDoubt(fsm)) {
                busy.merge(name, 1, Integer::sum);
                return AskPattern.ask(supervisor, replyTo -> new LocalSupervisor.Forward(name,
                        command.apply(replyTo), true), timeout, system.scheduler());
            }
            return AskPattern.ask(fsm.fsm(), command::apply, timeout, system.scheduler());
        } finally {
            if (route == LocalHost.ENTERED) {
                fsm.leave();
            }
        }
    }

    /** A start, stop or delete: through the supervisor, with the name marked busy until it is answered. */
    private <R, T> CompletionStage<T> lifecycle(String name, Function<ActorRef<R>, Command> command,
                                                Function<R, T> answer) {
        return stores.gate(() -> lifecycleNow(name, command, answer));
    }

    private <R, T> CompletionStage<T> lifecycleNow(String name, Function<ActorRef<R>, Command> command,
                                                   Function<R, T> answer) {
        busy.merge(name, 1, Integer::sum);
        CompletionStage<R> reply;
        try {
            reply = AskPattern.ask(supervisor, replyTo -> new LocalSupervisor.Forward(name, command.apply(replyTo),
                    false), timeout, system.scheduler());
        } catch (RuntimeException e) {
            release(name);
            throw e;
        }
        return Answers.map(reply, () -> release(name), answer);
    }

    /**
     * Whether {@code fsm} restarts from its journal while the journal is down or suspected: a call for it then goes
     * through the supervisor (in order, counted as held), which refuses it at once or holds it until the probe's
     * verdict, instead of leaving it in the restarting actor's stash until the journal is back.
     */
    private boolean inDoubt(LocalHost fsm) {
        return fsm.isRestarting() && environment.outage().inDoubt();
    }

    /**
     * Whether a call for {@code name} must go through the supervisor, behind a lifecycle call in flight; if so it
     * counts as in flight too until the supervisor has routed it, so that no later call sent straight to the FSM
     * overtakes it.
     */
    private boolean holdBehind(String name) {
        return busy.computeIfPresent(name, (n, count) -> count + 1) != null;
    }

    /** A lifecycle call was answered, or a call held behind one was routed. */
    private void release(String name) {
        busy.computeIfPresent(name, (n, count) -> count == 1 ? null : count - 1);
    }

    /** How many fire-and-forget and delayed events sent through this facade were dropped (their FSM did not run). */
    @Override
    public long droppedEvents() {
        return support.droppedEvents();
    }

    private List<String> runningNames() {
        List<String> names = new ArrayList<>();
        hosts.forEach((name, fsm) -> {
            if (fsm.runs()) {
                names.add(name);
            }
        });
        return names;
    }

    /** How many FSMs are passivated now (their actor stopped; they still run). O(FSMs): for tests and benchmarks. */
    public int passivated() {
        int n = 0;
        for (LocalHost fsm : hosts.values()) {
            if (fsm.sleepState() == LocalHost.DORMANT) {
                n++;
            }
        }
        return n;
    }

    /** How many times an FSM of this facade passivated. */
    public long passivations() {
        return running.passivations();
    }

    @Override
    public CompletionStage<Map<String, FsmLocation>> all() {
        String node = system.address().toString();
        return CompletableFuture.completedFuture(runningNames().stream()
                .collect(Collectors.toUnmodifiableMap(n -> n, n -> new FsmLocation(n, node))));
    }

    @Override
    public CompletionStage<Integer> count() {
        return CompletableFuture.completedFuture(running.count());
    }

    @Override
    public CompletionStage<Optional<String>> random() {
        List<String> names = runningNames();
        return CompletableFuture.completedFuture(names.isEmpty() ? Optional.empty()
                : Optional.of(names.get(ThreadLocalRandom.current().nextInt(names.size()))));
    }

    @Override
    public CompletionStage<Map<String, Long>> countByState() {
        return CompletableFuture.completedFuture(running.index().countByState());
    }

    @Override
    public CompletionStage<List<FsmSummary>> find(FsmQuery query) {
        Objects.requireNonNull(query, "query");
        return CompletableFuture.completedFuture(running.index().find(query));
    }

    @Override
    public CompletionStage<List<FsmHistoryEntry<P>>> history(String name) {
        return support.history(system, name);
    }

    @Override
    public CompletionStage<Done> stop(String name) {
        support.checkName(name);
        return lifecycle(name, Command.Stop::new, (Replies.Reply reply) -> support.stopped(name, reply));
    }

    @Override
    public CompletionStage<Done> delete(String name) {
        support.checkName(name);
        return lifecycle(name, Command.Delete::new,
                (Replies.Deleted reply) -> support.deleted(name, reply));
    }

    @Override
    public void addListener(FsmListener<P> listener) {
        environment.addListener(listener);
    }

    @Override
    public boolean removeListener(FsmListener<P> listener) {
        return environment.removeListener(listener);
    }

    /** The FSM type's definition, or null when it is not known yet. */
    public FsmDefinition definition() {
        return environment.definition();
    }

    /** The FSM type's internal events, once its definition is known (empty before). */
    public java.util.Set<String> internalEvents() {
        return environment.internalEvents();
    }

    /** The clock the FSMs read. */
    public Clock clock() {
        return environment.settings().clock();
    }

    /** The type's simple name, as {@code toString} of the facade shows it. */
    public String typeName() {
        return environment.type().getSimpleName();
    }

    /** Registers {@code facade}'s engine, for {@link #of}; called by the facade's constructor. */
    public static void register(FsmSupervisor<?> facade, LocalFsms<?> engine) {
        ENGINES.put(facade, engine);
    }

    /**
     * The engine behind the local facade {@code facade}.
     *
     * @throws IllegalArgumentException if {@code facade} is not a local facade
     */
    @SuppressWarnings("unchecked")
    public static <P> LocalFsms<P> of(FsmSupervisor<P> facade) {
        LocalFsms<?> engine = ENGINES.get(facade);
        if (engine == null) {
            throw new IllegalArgumentException(facade + " is not a Finitomata of this JVM");
        }
        return (LocalFsms<P>) engine;
    }
}
