package dev.finitomata.sharding.internal;

import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.FsmSerializable;
import dev.finitomata.internal.runtime.FsmSettings;
import dev.finitomata.internal.runtime.IndexLog;
import dev.finitomata.internal.runtime.IndexWrites;
import dev.finitomata.internal.runtime.StateIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.ShardCoordinator.ShardAllocationStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import dev.finitomata.sharding.ConsistentHashClusterInfo;

/**
 * INTERNAL API. The passivated FSMs of one shard of an {@code Infinitomata}, parked: their gates have gone, so they
 * cost no actor and no remembered entity, and a full cluster restart does not recover them (issue 26, points 1 and 4).
 * The register keeps, durably, each one's state and since when (so that the census counts and finds it), when it
 * must be woken, and its timer's next tick; it wakes each at its time by sending its entity a {@link
 * GateMessage.WakeUp}, which creates its gate, which recovers the FSM from its journal and runs it.
 *
 * <p>Design: one sharded entity per FSM shard (entity type {@code finitomata-<id>-sleeps}, entity id the shard id,
 * placed by the same allocation strategy, so in the steady state on the node of its shard), remembered, so that
 * after a failover or a full restart it comes back by itself and wakes its FSMs on time. Its map lives in the FSMs'
 * journal as an {@link IndexLog} ({@code fsm-sleeps|<id>|<shard>}), written in batches.
 * <ul>
 *   <li>A gate parks its FSM ({@link Park}) only once its actor has stopped, and leaves (its remembered entity
 *       with it) only once the register has written it: the FSM is always remembered by one or the other.</li>
 *   <li>Every gate, when it is created, claims its name early ({@link Claim}, not awaited): a register that parks
 *       the FSM answers, and goes on counting it until the gate's FSM has recovered and the gate claims it again:
 *       then the FSM is no longer parked. (Forgotten at the early claim, the FSM was counted nowhere while its gate
 *       recovered it, and a census then missed it.) A claim lost in a crash leaves a stale entry, which costs a wake-up that finds the FSM running (or not
 *       running, and gone), and nothing else: an FSM that runs has its gate, remembered, which brings back its
 *       pending delays from its journal. The journal wins.</li>
 *   <li>A wake-up is sent again every {@link #RESEND} until the FSM's gate claims the name.</li>
 * </ul>
 * The node's {@link NodeRegistry} counts the FSMs parked here (and their states) while the register runs here.
 */
public final class SleepRegister {

    /** How long a gate waits for the register to park its FSM before it keeps the FSM itself. */
    static final Duration PARK_TIMEOUT = Duration.ofSeconds(10);

    /** How often the register sends a wake-up again while the woken FSM's gate has not claimed it. */
    static final Duration RESEND = Duration.ofSeconds(5);

    /** What a register hears. */
    public sealed interface Msg {
    }

    /** Park {@code name}'s passivated FSM, durably; then tell {@code gate} ({@link GateMessage.Parked}). */
    public record Park(String name, Sleeper sleeper, ActorRef<Command> gate) implements Msg, FsmSerializable {
    }

    /**
     * A gate of {@code name} exists. {@code early} (true): its FSM has not recovered yet; a register that parks it
     * answers {@code gate} ({@link GateMessage.Claimed}, with when its timer's tick was due as it passivated, so that
     * the woken FSM ticks on from there) and keeps it, counted, until the gate claims it again, not early, once the
     * FSM runs there: then it is not parked any more. Null is read as an early claim's answer and a final claim's
     * forgetting at once, as a gate of an earlier version meant it.
     */
    public record Claim(String name, ActorRef<Command> gate, Boolean early) implements Msg, FsmSerializable {
    }

    private record Restored(Map<String, Sleeper> sleepers) implements Msg {
    }

    private record Written(IndexWrites.Done done) implements Msg {
    }

    private record WakeDue() implements Msg {
    }

    /**
     * A parked FSM in memory: what was written (the very {@link Sleeper} its log holds: FSMs are many), its index entry
     * here (or null), and when it is woken next.
     */
    private static final class Parked {
        final String name;
        final Sleeper sleeper;
        final StateIndex.Entry indexed;
        long wakeAt;

        Parked(String name, Sleeper sleeper, StateIndex.Entry indexed) {
            this.name = name;
            this.sleeper = sleeper;
            this.indexed = indexed;
            this.wakeAt = sleeper.wakeAt();
        }
    }

    private final ActorContext<Msg> context;
    private final TimerScheduler<Msg> timers;
    private final NodeRegistry registry;
    private final FsmSettings settings;
    /** Sends a message to an FSM's entity (its gate), by name. */
    private final BiConsumer<String, Command> fsm;
    /** Whether a state is one of the running version's definition. */
    private final Predicate<String> knownState;
    private final Map<String, Parked> parked = new HashMap<>();
    private final PriorityQueue<Parked> wakes = new PriorityQueue<>(Comparator.comparingLong(p -> p.wakeAt));
    private final IndexWrites<Sleeper, Msg> writes;
    private final String persistenceId;
    /** What came before the map was recovered, in order; null once it was. */
    private List<Msg> early = new ArrayList<>();
    private long armedFor = Long.MAX_VALUE;

    private SleepRegister(ActorContext<Msg> context, TimerScheduler<Msg> timers, String persistenceId,
                          FsmSettings settings, NodeRegistry registry, BiConsumer<String, Command> fsm,
                          Predicate<String> knownState) {
        this.context = context;
        this.timers = timers;
        this.registry = registry;
        this.settings = settings;
        this.fsm = fsm;
        this.knownState = knownState;
        this.persistenceId = persistenceId;
        this.writes = new IndexWrites<>(context, context.spawn(new IndexLog<>(persistenceId, settings, FORMAT,
                IndexLog.onRecovered(context, Restored::new)), "log"), settings.askTimeout(), Written::new);
    }

    /**
     * The register of one shard.
     *
     * @param persistenceId {@code fsm-sleeps|<supervisor id>|<shard id>}
     * @param fsm           sends to an FSM's entity by name (to wake it)
     * @param knownState    whether a state is one of the running version's definition: an FSM parked in another
     *                      (by an older version) is woken at once, so that it migrates and is counted as it is now
     */
    public static Behavior<Msg> create(String persistenceId, FsmSettings settings, NodeRegistry registry,
                                       BiConsumer<String, Command> fsm, Predicate<String> knownState) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new SleepRegister(ctx, timers, persistenceId,
                settings, registry, fsm, knownState).behavior()));
    }

    /**
     * Initialises the registers of the FSM shards of {@code fsms} (when FSMs passivate): one remembered entity per
     * shard, placed as the FSMs' shards are. Answers each FSM name's register (null when FSMs never passivate).
     */
    public static Function<String, EntityRef<Msg>> init(ClusterSharding sharding, EntityTypeKey<Command> fsms,
                                                        String supervisorId, FsmSettings settings,
                                                        NodeRegistry registry, ClusterShardingSettings sharded,
                                                        String role, ShardAllocationStrategy allocation, int shards,
                                                        Predicate<String> knownState) {
        if (settings.passivateIdleAfter().isZero()) {
            return name -> null;
        }
        EntityTypeKey<Msg> key = EntityTypeKey.create(Msg.class, fsms.name() + "-sleeps");
        Entity<Msg, ShardingEnvelope<Msg>> registers = Entity.of(key, entity -> create("fsm-sleeps|" + supervisorId
                        + "|" + entity.getEntityId(), settings, registry,
                        (name, call) -> sharding.entityRefFor(fsms, name).tell(call), knownState))
                .withMessageExtractor(new ShardingMessageExtractor<ShardingEnvelope<Msg>, Msg>() {
                    @Override
                    public String entityId(ShardingEnvelope<Msg> envelope) {
                        return envelope.entityId();
                    }

                    @Override
                    public String shardId(String entityId) {
                        return entityId; // a register is its shard's only entity, on the FSMs' shard id
                    }

                    @Override
                    public Msg unwrapMessage(ShardingEnvelope<Msg> envelope) {
                        return envelope.message();
                    }
                })
                .withSettings(sharded)
                .withAllocationStrategy(allocation);
        sharding.init(role.isEmpty() ? registers : registers.withRole(role));
        return name -> sharding.entityRefFor(key, ConsistentHashClusterInfo.shardOf(name, shards));
    }

    private Behavior<Msg> behavior() {
        return Behaviors.receive(Msg.class)
                .onMessage(Restored.class, this::restored)
                .onMessage(Written.class, m -> {
                    if (m.done().failure() != null) {
                        context.getLog().warn("The register of passivated FSMs {} could not write ({}): the gates "
                                + "waiting for it keep their FSMs passivated themselves", persistenceId,
                                m.done().failure().toString());
                    }
                    writes.written(m.done());
                    return Behaviors.same();
                })
                .onMessage(WakeDue.class, m -> wakeDue())
                .onMessage(Msg.class, m -> {
                    if (early != null) {
                        early.add(m);
                    } else {
                        handle(m);
                    }
                    return Behaviors.same();
                })
                .onSignal(PostStop.class, s -> {
                    // its shard moved, or the node stops: another register counts these FSMs now
                    parked.values().forEach(p -> registry.unpark(p.name, p.indexed));
                    parked.clear();
                    return Behaviors.same();
                })
                .build();
    }

    private void handle(Msg m) {
        switch (m) {
            case Park p -> {
                forget(p.name());
                Parked added = add(p.name(), p.sleeper());
                CompletableFuture<Void> written = new CompletableFuture<>();
                written.whenComplete((x, failure) -> { // (on this actor's thread: IndexWrites completes it)
                    if (failure != null && parked.get(p.name()) == added) {
                        forget(p.name()); // its gate keeps it
                    }
                    p.gate().tell(new GateMessage.Parked(failure == null));
                });
                writes.put(p.name(), p.sleeper(), written);
            }
            case Claim c -> {
                boolean early = Boolean.TRUE.equals(c.early());
                Parked p = early ? parked.get(c.name()) : forget(c.name());
                if (p != null) {
                    if (!early) {
                        writes.put(c.name(), Sleeper.GONE, null);
                    }
                    if (!Boolean.FALSE.equals(c.early())) {
                        c.gate().tell(new GateMessage.Claimed(p.sleeper.timerDueAt()));
                    }
                }
            }
            default -> throw new IllegalStateException("unexpected " + m);
        }
    }

    private Behavior<Msg> restored(Restored m) {
        if (early == null) {
            return Behaviors.same(); // its log restarted after a failed write: the map here is what holds
        }
        m.sleepers().forEach(this::add);
        List<Msg> before = early;
        early = null;
        before.forEach(this::handle);
        return Behaviors.same();
    }

    private Parked add(String name, Sleeper sleeper) {
        Parked p = new Parked(name, sleeper, registry.park(name, sleeper.state(), sleeper.since()));
        if (!knownState.test(sleeper.state())) {
            p.wakeAt = 0; // parked by an older version, in a state this one renamed or dropped: migrated now
        }
        parked.put(name, p);
        if (p.wakeAt != Long.MAX_VALUE) {
            wakes.add(p);
            arm();
        }
        return p;
    }

    /** What was parked here for {@code name} (null: nothing); it is not now. */
    private Parked forget(String name) {
        Parked p = parked.remove(name);
        if (p != null) {
            registry.unpark(name, p.indexed); // (its entry in the wake queue is skipped when it comes up)
        }
        return p;
    }

    private Behavior<Msg> wakeDue() {
        armedFor = Long.MAX_VALUE;
        long now = settings.clock().millis();
        while (!wakes.isEmpty() && wakes.peek().wakeAt <= now) {
            Parked p = wakes.poll();
            if (parked.get(p.name) == p) {
                fsm.accept(p.name, new GateMessage.WakeUp(p.sleeper.timerDueAt()));
                p.wakeAt = now + RESEND.toMillis(); // until its gate claims it
                wakes.add(p);
            }
        }
        arm();
        return Behaviors.same();
    }

    private void arm() {
        Parked first = wakes.peek();
        if (first != null && first.wakeAt < armedFor) {
            armedFor = first.wakeAt;
            timers.startSingleTimer("wake", new WakeDue(),
                    Duration.ofMillis(Math.max(0, armedFor - settings.clock().millis())));
        }
    }

    private static final IndexLog.Format<Sleeper, Sleeper.SleepsChanged> FORMAT = new IndexLog.Format<>() {
        @Override
        public Sleeper.SleepsChanged event(Map<String, Sleeper> changes) {
            return new Sleeper.SleepsChanged(changes);
        }

        @Override
        public Map<String, Sleeper> changes(Sleeper.SleepsChanged event) {
            return event.changes();
        }

        @Override
        public boolean removes(Sleeper sleeper) {
            return sleeper.state() == null;
        }
    };
}
