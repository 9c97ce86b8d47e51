package dev.finitomata.sharding;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.finitomata.FsmBehavior;
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
import dev.finitomata.internal.facade.Answers;
import dev.finitomata.internal.facade.FacadeSupport;
import dev.finitomata.internal.payload.PayloadMigrations;
import dev.finitomata.internal.payload.PayloadVerifier;
import dev.finitomata.internal.pekko.SchedulerClock;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.Replies;
import dev.finitomata.internal.runtime.FsmRuntime;
import dev.finitomata.internal.runtime.FsmSettings;
import dev.finitomata.internal.runtime.FsmType;
import dev.finitomata.internal.runtime.PluginCheck;
import dev.finitomata.internal.runtime.Probes;
import dev.finitomata.internal.runtime.StateIndex;
import dev.finitomata.sharding.internal.Census;
import dev.finitomata.sharding.internal.FsmGate;
import dev.finitomata.sharding.internal.GateMessage;
import dev.finitomata.sharding.internal.NodeRegistry;
import dev.finitomata.sharding.internal.RingAllocationStrategy;
import dev.finitomata.sharding.internal.ShardedHost;
import dev.finitomata.sharding.internal.SleepRegister;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs named, persistent FSMs of one type over a Pekko cluster, with the same API and the same lifecycle as the local
 * {@code Finitomata} (both are {@link FsmSupervisor}s; the table is in docs/runtime.md). Call {@link #create} on
 * every node, with the same id.
 *
 * <p>Each FSM is a Cluster Sharding entity whose entity id is its name; shards are placed by a {@link ClusterInfo}
 * (by default a consistent hash ring, so a membership change moves about 1/N of them). The entity is a small gate
 * actor that lives as long as its FSM runs awake and owns the FSM's event-sourced actor. Running FSMs awake are
 * remembered entities: after a node crashes or leaves they are restarted on the surviving nodes at once, recover
 * from the journal (which the nodes must share: a database journal, or the ETS store between ActorSystems of one JVM)
 * and re-arm their timers and pending delayed transitions. {@link #stop} persists a mark, so a stopped FSM stays
 * stopped through failovers until {@link #start} loads it. An idle FSM is passivated after
 * {@code finitomata.passivate-idle-after}: its actor stops to save memory, but it still runs as far as the API is
 * concerned (counted, alive) and wakes on its next call, or {@code finitomata.wake-ahead} before its earliest delayed
 * transition or timer tick. A passivated FSM holds no actor: it is parked, with its wake time, in a durable register
 * of its shard, which survives failovers and restarts, so a full cluster restart recovers only the FSMs that were
 * awake (docs/runtime.md).
 *
 * <p>{@link #all()}, {@link #count()}, {@link #random()}, {@link #countByState()} and {@link #find} ask every node
 * (each keeps the FSMs running there, by state, passivated ones included) and combine the answers; {@code all} and
 * {@code count} take a {@link #census()}: one round trip per node (a node with many FSMs sends its names in several
 * messages), answered from the reachable nodes when one is not (logged at WARN, and told by {@link #census()});
 * {@code random} asks each node for its count and one name only.
 * Listeners registered on a node are called for the FSMs running on that node.
 *
 * @param <P> the payload type of the FSMs
 */
public final class Infinitomata<P> implements FsmSupervisor<P> {

    private static final Logger LOG = LoggerFactory.getLogger(Infinitomata.class);

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final EntityTypeKey<Command> key;
    private final FsmType environment;
    private final FacadeSupport support;
    private final ClusterInfo clusterInfo;
    private final Census census;
    private final Duration censusTimeout;
    private final ActorRef<Replies.Reply> drops;
    private final Duration timeout;
    /** The FSMs running on this node. */
    private final NodeRegistry registry;
    /** Whether this node's journal and snapshot store work: every call to an FSM waits for it (see PluginCheck). */
    private final PluginCheck stores;

    private Infinitomata(ActorSystem<?> system, String id, Class<?> type, FsmFactory<P> factory, ClusterInfo info) {
        this.system = system;
        this.sharding = ClusterSharding.get(system);
        this.clusterInfo = info;
        Config config = system.settings().config();
        FsmSettings settings = FsmSettings.from(config).withClock(SchedulerClock.of(system));
        this.stores = FacadeSupport.checkStores(system, settings, id);
        PayloadMigrations.load(system);
        this.timeout = settings.askTimeout();
        this.environment = new FsmType(system, id, type, settings,
                new PayloadVerifier(system, settings.verifyPayloads()));
        this.support = new FacadeSupport(environment, LOG);
        this.registry = new NodeRegistry(environment.index());
        this.censusTimeout = config.getDuration("finitomata.sharding.census-timeout");
        this.census = Census.start(system, id, registry, censusTimeout,
                config.getString("finitomata.sharding.role"));
        this.drops = system.systemActorOf(support.dropCounter(),
                "finitomata-drops-" + URLEncoder.encode(id, StandardCharsets.UTF_8), Props.empty());
        support.probeDefinition(system, factory);
        this.key = EntityTypeKey.create(Command.class, "finitomata-" + id);
        int moves = system.settings().config().getInt("finitomata.sharding.max-moves-per-rebalance");
        String role = config.getString("finitomata.sharding.role");
        ClusterShardingSettings sharded = ClusterShardingSettings.fromConfig(shardingConfig(config, settings, role))
                .withRememberEntities(true)
                .withRememberEntitiesStoreMode(ClusterShardingSettings.rememberEntitiesStoreModeEventSourced());
        DispatcherSelector dispatcher = DispatcherSelector.fromConfig(settings.dispatcher());
        Duration idle = settings.passivateIdleAfter();
        var registers = SleepRegister.init(sharding, key, id, settings, registry, sharded, role,
                new RingAllocationStrategy(info, moves, environment.outage()::inDoubt),
                config.getInt("pekko.cluster.sharding.number-of-shards"),
                state -> environment.definition() == null || environment.definition().states().contains(state));
        Entity<Command, ?> entities = Entity.of(key, entity -> FsmGate.create(entity.getEntityId(),
                        entity.getShard(), sharding.entityRefFor(key, entity.getEntityId()),
                        (gate, resumes) -> FsmRuntime.behavior(environment, factory, entity.getEntityId(),
                                (name, fsm) -> new ShardedHost(gate, name, registry, idle, settings.wakeAhead(),
                                        resumes)),
                        dispatcher, registry, environment.outage(), settings.clock(),
                        registers.apply(entity.getEntityId())))
                .withStopMessage(new GateMessage.StopEntity());
        if (!role.isEmpty()) {
            entities = entities.withRole(role);
        }
        sharding.init(entities
                .withSettings(sharded)
                .withAllocationStrategy(new RingAllocationStrategy(info, moves, environment.outage()::inDoubt))
                .withEntityProps(dispatcher));
        Probes.of(system).created(environment, this);
    }

    /**
     * Pekko's sharding settings, with the remembered entities kept where the FSMs are: the journal and snapshot store
     * of {@code finitomata.journal-plugin} / {@code snapshot-plugin}, unless {@code pekko.cluster.sharding} names its
     * own. One key thus serves both (Pekko would otherwise use its default journal, which may not be configured).
     */
    private static Config shardingConfig(Config config, FsmSettings settings, String role) {
        Config sharding = config.getConfig("pekko.cluster.sharding");
        if (sharding.getString("journal-plugin-id").isEmpty() && !settings.journalPluginId().isEmpty()) {
            sharding = sharding.withValue("journal-plugin-id",
                    ConfigValueFactory.fromAnyRef(settings.journalPluginId()));
        }
        if (sharding.getString("snapshot-plugin-id").isEmpty() && !settings.snapshotPluginId().isEmpty()) {
            sharding = sharding.withValue("snapshot-plugin-id",
                    ConfigValueFactory.fromAnyRef(settings.snapshotPluginId()));
        }
        if (!role.isEmpty()) {
            sharding = sharding.withValue("role", ConfigValueFactory.fromAnyRef(role));
        }
        return sharding;
    }

    /**
     * Initialises Cluster Sharding for FSMs of {@code type} under {@code id}, placed by the default consistent hash
     * ring. Call it on every node (the ActorSystem must use {@code pekko.actor.provider = cluster}). It builds one
     * instance of {@code type} with a detached context to read its definition, so that events are checked from the
     * first call on every node.
     *
     * @throws IllegalArgumentException if {@code id} is blank or contains {@code |}
     * @throws IllegalStateException    if an Infinitomata with that id already runs in {@code system}, or no journal
     *                                  is configured (the message names the key to set)
     * @throws NullPointerException     if an argument is null
     */
    public static <P> Infinitomata<P> create(ActorSystem<?> system, String id, Class<? extends FsmBehavior<P>> type,
                                             FsmFactory<P> factory) {
        Objects.requireNonNull(system, "system");
        int shards = system.settings().config().getInt("pekko.cluster.sharding.number-of-shards");
        int virtualNodes = system.settings().config().getInt("finitomata.sharding.virtual-nodes");
        return create(system, id, type, factory, new ConsistentHashClusterInfo(system, shards, virtualNodes));
    }

    /** As {@link #create(ActorSystem, String, Class, FsmFactory)}, placing shards with {@code clusterInfo}. */
    public static <P> Infinitomata<P> create(ActorSystem<?> system, String id, Class<? extends FsmBehavior<P>> type,
                                             FsmFactory<P> factory, ClusterInfo clusterInfo) {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(clusterInfo, "clusterInfo");
        return new Infinitomata<>(system, FacadeSupport.checkId(id), type, factory, clusterInfo);
    }

    private EntityRef<Command> fsm(String name) {
        return sharding.entityRefFor(key, support.checkName(name));
    }

    /** Asks the FSM behind {@code ref}; its reply becomes the caller's result where it arrives ({@link Answers}). */
    private <R, T> CompletionStage<T> ask(EntityRef<Command> ref, Function<ActorRef<R>, Command> command,
                                          Function<R, T> result) {
        return Answers.map(stores.gate(() -> ref.ask(command::apply, timeout)), result);
    }

    @Override
    public String id() {
        return environment.supervisorId();
    }

    /** The placement this supervisor uses. */
    public ClusterInfo clusterInfo() {
        return clusterInfo;
    }

    @Override
    public CompletionStage<StartResult> start(String name, P payload) {
        EntityRef<Command> ref = fsm(name);
        support.verifyPayload(payload);
        return this.<Replies.StartReply, StartResult>ask(ref, replyTo -> new Command.Init(payload, null, replyTo),
                reply -> support.startResult(name, reply));
    }

    @Override
    public void transition(String name, String event, Object eventPayload) {
        EntityRef<Command> ref = fsm(name);
        support.checkEvent(event, eventPayload);
        stores.run(() -> ref.tell(new Command.Fire(event, eventPayload, drops, false)),
                failure -> support.dropped(name, event));
    }

    @Override
    public void transition(String name, String event, Object eventPayload, Duration delay) {
        EntityRef<Command> ref = fsm(name);
        support.checkEvent(event, eventPayload);
        Command schedule = new Command.Schedule(event, eventPayload, FacadeSupport.checkDelay(delay).toMillis(), drops);
        stores.run(() -> ref.tell(schedule), failure -> support.dropped(name, event));
    }

    @Override
    public CompletionStage<FsmState<P>> transitionAndWait(String name, String event, Object eventPayload) {
        EntityRef<Command> ref = fsm(name);
        support.checkEvent(event, eventPayload);
        return this.<Replies.Reply, FsmState<P>>ask(ref,
                replyTo -> new Command.Fire(event, eventPayload, replyTo, true),
                reply -> support.<P>state(name, reply));
    }

    @Override
    public CompletionStage<Optional<FsmState<P>>> state(String name) {
        EntityRef<Command> ref = fsm(name);
        return this.<Replies.StateReply, Optional<FsmState<P>>>ask(ref, Command.GetState::new,
                reply -> support.<P>state(name, reply));
    }

    @Override
    public CompletionStage<Done> timerTick(String name) {
        EntityRef<Command> ref = fsm(name);
        return this.<Replies.Reply, Done>ask(ref, Command.TimerTick::new, reply -> support.stopped(name, reply));
    }

    @Override
    public CompletionStage<Done> resetTimer(String name) {
        EntityRef<Command> ref = fsm(name);
        return this.<Replies.Reply, Done>ask(ref, Command.ResetTimer::new, reply -> support.stopped(name, reply));
    }

    @Override
    public CompletionStage<Optional<FsmDetails<P>>> details(String name) {
        EntityRef<Command> ref = fsm(name);
        return this.<Replies.DetailsReply, Optional<FsmDetails<P>>>ask(ref, Command.Inspect::new, support::<P>details);
    }

    @Override
    public CompletionStage<Boolean> alive(String name) {
        EntityRef<Command> ref = fsm(name);
        return this.<Replies.AliveReply, Boolean>ask(ref, Command.IsAlive::new, Replies.AliveReply::alive);
    }

    /**
     * The running FSMs of the whole cluster and where each runs, with the nodes that could not be asked. Never fails
     * for an unreachable node: see {@link FsmCensus}.
     */
    public CompletionStage<FsmCensus> census() {
        return census.take(true).thenApply(this::warnIfIncomplete);
    }

    private FsmCensus warnIfIncomplete(FsmCensus taken) {
        warnIfIncomplete(taken.missingNodes());
        return taken;
    }

    @Override
    public CompletionStage<Map<String, FsmLocation>> all() {
        return census().thenApply(FsmCensus::fsms);
    }

    /** Refreshes this node's view of the cluster's FSMs (one round trip per node); completes when done. */
    public CompletionStage<Done> synch() {
        return census().thenApply(c -> Done.getInstance());
    }

    @Override
    public CompletionStage<Integer> count() {
        return census.take(false).thenApply(this::warnIfIncomplete).thenApply(FsmCensus::count);
    }

    /**
     * The members of the cluster that may host these FSMs (those with {@code finitomata.sharding.role}, if set), each
     * with its status, whether it is reachable, and how many of these FSMs and of their shards it hosts: one census
     * round trip per node and one sharding-statistics query, each bounded by {@code finitomata.sharding.census-timeout}.
     * A node that does not answer is listed with -1 counts.
     */
    public CompletionStage<List<FsmNode>> nodes() {
        CompletionStage<Map<String, Long>> fsmsPerNode = census.byState(null).thenApply(gathered -> {
            Map<String, Long> perNode = new TreeMap<>();
            gathered.answers().forEach(a -> perNode.put(a.node(),
                    a.counts().values().stream().mapToLong(Long::longValue).sum()));
            return perNode;
        });
        CompletionStage<Map<String, Integer>> shardsPerNode = AskPattern.<ClusterShardingQuery, ClusterShardingStats>ask(
                sharding.shardState(), replyTo -> new GetClusterShardingStats(key, censusTimeout, replyTo),
                censusTimeout.plusSeconds(1), system.scheduler()).thenApply(stats -> {
                    Map<String, Integer> perNode = new TreeMap<>();
                    stats.getRegions().forEach((address, region) -> perNode.put(address.toString(),
                            region.getStats().size()));
                    return perNode;
                }).exceptionally(failure -> Map.of());
        return fsmsPerNode.thenCombine(shardsPerNode, (fsms, shards) -> {
            ClusterEvent.CurrentClusterState state = Cluster.get(system).state();
            String role = system.settings().config().getString("finitomata.sharding.role");
            List<FsmNode> nodes = new ArrayList<>();
            for (Member member : state.getMembers()) {
                if (role.isEmpty() || member.hasRole(role)) {
                    String address = member.address().toString();
                    nodes.add(new FsmNode(address, member.status().toString(),
                            !state.getUnreachable().contains(member), fsms.getOrDefault(address, -1L),
                            shards.getOrDefault(address, -1)));
                }
            }
            return nodes;
        });
    }

    @Override
    public CompletionStage<Map<String, Long>> countByState() {
        return census.byState(null).thenApply(gathered -> {
            warnIfIncomplete(gathered.missing());
            Map<String, Long> counts = new TreeMap<>();
            gathered.answers().forEach(a -> a.counts().forEach((state, n) -> counts.merge(state, n, Long::sum)));
            return counts;
        });
    }

    @Override
    public CompletionStage<List<FsmSummary>> find(FsmQuery query) {
        Objects.requireNonNull(query, "query");
        return census.byState(query).thenApply(gathered -> {
            warnIfIncomplete(gathered.missing());
            return StateIndex.merge(gathered.answers().stream().map(Census.StatesAnswer::summaries).toList(),
                    query.limit());
        });
    }

    @Override
    public CompletionStage<List<FsmHistoryEntry<P>>> history(String name) {
        return support.history(system, name);
    }

    private void warnIfIncomplete(Set<String> missing) {
        if (!missing.isEmpty()) {
            LOG.warn("Infinitomata '{}': counted the FSMs of the reachable nodes only; not heard from {}", id(),
                    missing);
        }
    }

    @Override
    public CompletionStage<Optional<String>> random() {
        return census.random().thenApply(gathered -> {
            warnIfIncomplete(gathered.missing());
            return gathered.answers().stream().findFirst();
        });
    }

    @Override
    public CompletionStage<Done> stop(String name) {
        EntityRef<Command> ref = fsm(name);
        return this.<Replies.Reply, Done>ask(ref, Command.Stop::new, reply -> support.stopped(name, reply));
    }

    @Override
    public CompletionStage<Done> delete(String name) {
        EntityRef<Command> ref = fsm(name);
        return this.<Replies.Deleted, Done>ask(ref, Command.Delete::new, reply -> support.deleted(name, reply));
    }

    /**
     * How many fire-and-forget and delayed events sent through this node's facade were dropped because their FSM did
     * not run (counted when the FSM's node reports the drop).
     */
    @Override
    public long droppedEvents() {
        return support.droppedEvents();
    }

    @Override
    public void addListener(FsmListener<P> listener) {
        environment.addListener(listener);
    }

    @Override
    public boolean removeListener(FsmListener<P> listener) {
        return environment.removeListener(listener);
    }

    /** How many times FSM actors passivated on this node (for tests). */
    long passivations() {
        return registry.passivations();
    }

    /** How many FSMs on this node are passivated now (for tests and benchmarks). */
    long passivated() {
        return registry.passivatedNow();
    }

    @Override
    public String toString() {
        return "Infinitomata(" + id() + ", " + environment.type().getSimpleName() + ")";
    }
}
