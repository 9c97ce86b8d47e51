package dev.finitomata.internal.local;

import dev.finitomata.FsmFactory;
import dev.finitomata.internal.engine.FsmDecider;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.runtime.FsmRuntime;
import dev.finitomata.internal.runtime.FsmType;
import dev.finitomata.internal.runtime.IndexLog;
import dev.finitomata.internal.runtime.IndexWrites;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * INTERNAL API. The actor behind a {@code Finitomata} ({@link LocalFsms}): spawns one child per FSM incarnation and routes lifecycle calls to it.
 *
 * <p>Design: a router, with at most one incarnation per name alive. It hands the latest incarnation the starts,
 * stops and erasures, and the commands the facade sends while one of those is in flight, so that the child's
 * mailbox orders them. An incarnation that ends tells the supervisor first ({@link ChildEnded}) and then answers. The
 * supervisor then sends it {@code Shutdown} and <em>drains</em> the name: new calls for it wait here, while the
 * ended child answers what reached it before (as not running) and hands back ({@link Bounced}) a start that reached it
 * and everything after that start. Once the child has stopped, the bounced calls go to a new incarnation first,
 * then the waiting ones. The map of incarnations is shared with the facade: the supervisor adds and removes its
 * entries ({@link LocalHost}s), each FSM opens and closes its own gate, and the facade sends directly to open ones.
 *
 * <p>Passivation: calls for an FSM that passivates come here and wait in its host until it declines ({@link Awoke})
 * or stops. A stopped one stays in the map, dormant; the next call for it spawns a new incarnation that recovers and
 * runs at once, and so does the wake schedule: a queue of dormant FSMs by the time they must be woken (their earliest
 * delayed transition less {@code finitomata.wake-ahead}), with one timer for its head.
 */
final class LocalSupervisor<P> {

    private static final String WAKE_TIMER = "wake";

    /** Messages of the supervisor. */
    sealed interface Msg {
    }

    /**
     * A call for the FSM {@code name} (a start, stop or erasure, or a command behind one): routed in order. A
     * {@code counted} one kept its name busy in the facade, which the supervisor releases once it has routed it (so
     * that no later call the facade sends straight to the FSM overtakes it).
     */
    record Forward(String name, Command command, boolean counted) implements Msg {
    }

    /** A call that reached an ended incarnation behind a start: for the next incarnation, before anything newer. */
    record Bounced(String name, Command command) implements Msg {
    }

    /** An incarnation ended: it gets nothing more from here but {@code Shutdown}. */
    record ChildEnded(String name, LocalHost child) implements Msg {
    }

    private record ChildStopped(String name, LocalHost child) implements Msg {
    }

    /** A passivating FSM declined (a call came): what was held for it follows now. */
    record Awoke(String name, LocalHost child) implements Msg {
    }

    /** The head of the wake schedule is due. */
    private record WakeDue() implements Msg {
    }

    /**
     * The FSM {@code name}'s earliest pending delayed transition is due at {@code due} (or it has none: FORGET), for
     * the wake index; {@code written}, if not null, completes once the index has it.
     */
    record Remember(String name, long due, CompletableFuture<Void> written) implements Msg {
    }

    /** A write of the wake index is done or given up. */
    private record Written(IndexWrites.Done done) implements Msg {
    }

    /**
     * The test kit's wait for the wake index: answered once no write of it is in flight or gathered. On virtual time
     * a step while one is in flight would run the timeouts of its ask and its journal call, fail it, and leave the
     * index restarting on a backoff that only a later step ends (a start then waited for it the whole ask-timeout).
     */
    record IndexSettle(ActorRef<Done> replyTo) implements Msg {
    }

    /** The wake index recovered: the FSMs with pending delays when this supervisor id last ran. */
    private record Restored(Map<String, Long> due) implements Msg {
    }

    /**
     * An entry of the wake schedule for an FSM the wake index holds after a restart, its earliest delay due at
     * {@code due}. (A dormant FSM's entry is its host: no extra object per passivated FSM.)
     */
    private record Wake(String name, long at, long due) {
    }

    /**
     * An incarnation that has not run yet failed to recover from its journal ({@code cause}): it is stopped and the
     * calls routed to it are refused (stage {@code START} for a start), instead of waiting in its stash until its
     * journal reads again. A later start tries again.
     */
    record Unrecovered(String name, LocalHost child, String cause) implements Msg {
    }

    /** The probe of the journal has its verdict: route what was held for it. */
    private record Settled() implements Msg {
    }

    /** A name whose ended incarnation is stopping: what it bounced, and what came meanwhile. */
    private record Drain(LocalHost child, List<Forward> bounced, List<Forward> waiting) {
    }

    private final ActorContext<Msg> context;
    private final FsmType environment;
    private final FsmFactory<P> factory;
    /** The latest incarnation of each name, shared with the facade (which sends only to those that run). */
    private final Map<String, LocalHost> children;
    private final Running running;
    /** Told the name of each counted {@link Forward} once it is routed. */
    private final Consumer<String> released;
    private final Map<String, Drain> draining = new HashMap<>();
    /**
     * Calls for FSMs restarting from their journal while the journal is suspected (a write or recovery failed, the
     * probe has no verdict yet), in order: routed again once it has one (refused if the journal is down).
     */
    private final Map<String, List<Forward>> held = new java.util.LinkedHashMap<>();
    private long incarnation;
    private final TimerScheduler<Msg> timers;
    /** FSMs to wake, by time; an entry whose FSM woke, started or ended meanwhile is skipped when it comes up. */
    private final PriorityQueue<Object> wakes = new PriorityQueue<>(Comparator.comparingLong(LocalSupervisor::wakeAt));
    /** The durable wake index's writes (name to due, or FORGET). */
    private final IndexWrites<Long, Msg> wakeIndex;
    /** The test kit's waits for the wake index ({@link IndexSettle}), and the changes it was told so far. */
    private final List<ActorRef<Done>> indexSettles = new ArrayList<>();
    private long remembered;
    /** When the wake timer is due (MAX_VALUE: not armed). */
    private long wakeArmedFor = Long.MAX_VALUE;

    private LocalSupervisor(ActorContext<Msg> context, TimerScheduler<Msg> timers, FsmType environment,
                            FsmFactory<P> factory, Map<String, LocalHost> children, Running running,
                            Consumer<String> released) {
        this.context = context;
        this.timers = timers;
        this.wakeIndex = new IndexWrites<>(context, context.spawn(WakeLog.create(environment.supervisorId(),
                environment.settings(), IndexLog.onRecovered(context, Restored::new)), "wakes"),
                WakeLog.writeTimeout(environment.settings()), Written::new);
        this.environment = environment;
        this.factory = factory;
        this.children = children;
        this.running = running;
        this.released = released;
    }

    static <P> Behavior<Msg> create(FsmType environment, FsmFactory<P> factory,
                                    Map<String, LocalHost> children, Running running,
                                    Consumer<String> released) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new LocalSupervisor<>(ctx, timers, environment,
                factory, children, running, released).behavior()));
    }

    private Behavior<Msg> behavior() {
        return Behaviors.receive(Msg.class)
                .onMessage(Forward.class, m -> routeOrHold(m, false))
                .onMessage(Bounced.class, m -> routeOrHold(new Forward(m.name(), m.command(), false), true))
                .onMessage(ChildEnded.class, m -> {
                    m.child().fsm().tell(new Command.Shutdown());
                    List<Forward> held = new ArrayList<>(m.child().takeHeld()); // it ended while passivating
                    if (children.remove(m.name(), m.child())) {
                        draining.put(m.name(), new Drain(m.child(), new ArrayList<>(), held));
                    } else {
                        held.forEach(this::route);
                    }
                    return Behaviors.same();
                })
                .onMessage(Awoke.class, m -> {
                    m.child().takeHeld().forEach(this::route);
                    return Behaviors.same();
                })
                .onMessage(WakeDue.class, m -> wakeDue())
                .onMessage(Remember.class, this::remember)
                .onMessage(Written.class, m -> {
                    wakeIndex.written(m.done());
                    return indexSettled(null);
                })
                .onMessage(IndexSettle.class, m -> indexSettled(m.replyTo()))
                .onMessage(Restored.class, this::restored)
                .onMessage(Unrecovered.class, this::unrecovered)
                .onMessage(Settled.class, m -> {
                    List<Forward> calls = held.values().stream().flatMap(List::stream).toList();
                    held.clear();
                    calls.forEach(this::route);
                    return Behaviors.same();
                })
                .onMessage(ChildStopped.class, m -> {
                    int sleep = m.child().sleepState();
                    if (children.get(m.name()) == m.child() && (sleep == LocalHost.SLEEPING
                            || sleep == LocalHost.DORMANT)) {
                        dormant(m.name(), m.child());
                        return Behaviors.same();
                    }
                    children.remove(m.name(), m.child());
                    m.child().abandoned();
                    Drain drain = draining.get(m.name());
                    if (drain != null && drain.child().equals(m.child())) {
                        draining.remove(m.name());
                        drain.bounced().forEach(this::route);
                        drain.waiting().forEach(this::route);
                    }
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<Msg> unrecovered(Unrecovered m) {
        List<Command> calls = m.child().routedBeforeRunning();
        if (children.get(m.name()) != m.child() || calls == null || m.child().isOpen()) {
            return Behaviors.same();
        }
        if (m.child().wakingUp()) {
            m.child().wakeFailed(); // it still runs, passivated: the next call or its wake time tries again
        } else {
            children.remove(m.name());
            if (m.child().restoring()) { // the wake index's: try again in a second
                long now = environment.settings().clock().millis();
                wakes.add(new Wake(m.name(), now + 1000, m.child().rememberedDue()));
                armWake();
            }
        }
        context.stop(m.child().fsm()); // with its stash: what it holds is answered here
        String reason = environment.outage().down() ? environment.outage().reason()
                : "the FSM could not start: " + m.cause() + "; nothing was written: try again";
        List.copyOf(calls).forEach(call -> Command.answerUnrecovered(m.name(), call, reason));
        return Behaviors.same();
    }

    /** Routes {@code call}, or holds it while the name drains (handed back by the old incarnation, or newer). */
    private Behavior<Msg> routeOrHold(Forward call, boolean bounced) {
        Drain drain = draining.get(call.name());
        if (drain == null) {
            route(call);
        } else {
            (bounced ? drain.bounced() : drain.waiting()).add(call);
        }
        return Behaviors.same();
    }

    /**
     * To the running incarnation; a start or an erasure spawns one when there is none, anything else is answered as
     * "not running". Then a counted call releases its name in the facade.
     */
    private void route(Forward call) {
        String name = call.name();
        Command command = call.command();
        LocalHost child = children.get(name);
        List<Forward> waiting = held.get(name);
        if (waiting != null || child != null && child.isRestarting() && environment.outage().suspected()) {
            if (waiting == null) {
                held.put(name, waiting = new ArrayList<>());
                ActorRef<Msg> self = context.getSelf();
                environment.outage().whenSettled(() -> self.tell(new Settled()));
            }
            waiting.add(call); // released in the facade when routed
            return;
        }
        if (child != null && child.holds(call)) {
            return; // it passivates: routed (and released) when it stops or declines
        }
        if (child != null && child.sleepState() == LocalHost.DORMANT) {
            if (environment.outage().down()
                    && Command.answerUnavailable(command, FsmDecider.STAR, environment.outage().reason())) {
                environment.outage().refused(); // it must recover from the journal first, which is unavailable
                if (call.counted()) {
                    released.accept(name);
                }
                return;
            }
            child = wake(name, child);
        }
        boolean spawns = child == null && (command instanceof Command.Init || command instanceof Command.Delete);
        if ((spawns || child != null && child.isRestarting()) && environment.outage().down()) {
            // it must recover from the journal first, which is unavailable: refused now, not after the ask timeout
            environment.outage().refused();
            if (!Command.answerUnavailable(command, FsmDecider.STAR, environment.outage().reason())) {
                forward(name, child, command); // a read it may answer from memory once it has recovered
            }
        } else if (spawns) {
            LocalHost spawned = spawn(name);
            spawned.routed(command);
            spawned.fsm().tell(command);
        } else {
            forward(name, child, command);
        }
        if (call.counted()) {
            released.accept(name);
        }
    }

    private void forward(String name, LocalHost child, Command command) {
        if (child != null) {
            child.routed(command);
            child.fsm().tell(command);
        } else {
            Command.answerNotRunning(name, command);
        }
    }

    // ---- passivation ----

    /** The actor of the passivating FSM {@code child} stopped: wake it for what was held, or when it is due. */
    private void dormant(String name, LocalHost child) {
        child.dormant();
        List<Forward> calls = child.takeHeld();
        if (!calls.isEmpty()) {
            wake(name, child);
            calls.forEach(this::route);
        } else if (child.wakeAt() != Long.MAX_VALUE) {
            wakes.add(child);
            armWake();
        }
    }

    // ---- the wake index ----

    private Behavior<Msg> remember(Remember m) {
        remembered++;
        wakeIndex.put(m.name(), m.due(), m.written());
        return Behaviors.same();
    }

    /** Answers the test kit's waits for the wake index ({@code waiting} too, if not null) once it is idle. */
    private Behavior<Msg> indexSettled(ActorRef<Done> waiting) {
        if (waiting != null) {
            indexSettles.add(waiting);
        }
        if (wakeIndex.idle()) {
            running.indexed(remembered);
            indexSettles.forEach(replyTo -> replyTo.tell(Done.getInstance()));
            indexSettles.clear();
        }
        return Behaviors.same();
    }

    /** After a restart: wake each FSM the index holds when its earliest delay falls due (less the wake-ahead). */
    private Behavior<Msg> restored(Restored m) {
        long ahead = environment.settings().wakeAhead().toMillis();
        m.due().forEach((name, due) -> wakes.add(new Wake(name, due - ahead, due)));
        armWake();
        return Behaviors.same();
    }

    /** A new incarnation of the dormant FSM {@code child}, which recovers from its journal and runs at once. */
    private LocalHost wake(String name, LocalHost child) {
        return spawn(name, new LocalHost(child));
    }

    private Behavior<Msg> wakeDue() {
        wakeArmedFor = Long.MAX_VALUE;
        long now = environment.settings().clock().millis();
        if (environment.outage().down()) { // they could not recover: try again in a second
            wakeArmedFor = now + 1000;
            timers.startSingleTimer(WAKE_TIMER, new WakeDue(), Duration.ofSeconds(1));
            return Behaviors.same();
        }
        while (!wakes.isEmpty() && wakeAt(wakes.peek()) <= now) {
            Object next = wakes.poll();
            if (next instanceof LocalHost dormant) {
                if (children.get(dormant.name()) == dormant && dormant.sleepState() == LocalHost.DORMANT) {
                    wake(dormant.name(), dormant);
                }
            } else if (next instanceof Wake due && children.get(due.name()) == null
                    && !draining.containsKey(due.name()) && !held.containsKey(due.name())) {
                // not started since the restart: it runs again, from its journal, and fires what is due there
                spawn(due.name(), new LocalHost(due.name(), running, context.getSelf(), due.due()));
            }
        }
        armWake();
        return Behaviors.same();
    }

    /** Arms the wake timer for the head of the schedule, unless it is armed for that time or sooner. */
    private void armWake() {
        Object first = wakes.peek();
        if (first != null && wakeAt(first) < wakeArmedFor) {
            wakeArmedFor = wakeAt(first);
            long in = Math.max(0, wakeArmedFor - environment.settings().clock().millis());
            timers.startSingleTimer(WAKE_TIMER, new WakeDue(), Duration.ofMillis(in));
        }
    }

    /** When an entry of the wake schedule is due. */
    private static long wakeAt(Object entry) {
        return entry instanceof LocalHost dormant ? dormant.wakeAt() : ((Wake) entry).at();
    }

    private LocalHost spawn(String name) {
        return spawn(name, new LocalHost(name, running, context.getSelf()));
    }

    private LocalHost spawn(String name, LocalHost host) {
        ActorRef<Command> child = context.spawn(FsmRuntime.behavior(environment, factory, name,
                        (fsm, ctx) -> host.attach(ctx.getSelf())),
                URLEncoder.encode(name, StandardCharsets.UTF_8) + "-" + (++incarnation),
                DispatcherSelector.fromConfig(environment.settings().dispatcher()));
        host.attach(child);
        context.watchWith(child, new ChildStopped(name, host));
        children.put(name, host);
        return host;
    }
}
