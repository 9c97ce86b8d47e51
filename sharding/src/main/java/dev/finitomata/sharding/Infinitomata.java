package dev.finitomata.sharding;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmFactory;
import dev.finitomata.FsmListener;
import dev.finitomata.FsmLocation;
import dev.finitomata.FsmState;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.StartResult;
import dev.finitomata.internal.FacadeSupport;
import dev.finitomata.internal.FsmEnvironment;
import dev.finitomata.internal.FsmProtocol;
import dev.finitomata.internal.FsmSettings;
import dev.finitomata.sharding.internal.RingAllocationStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.Patterns;

/**
 * Runs named, persistent FSMs of one type over a Pekko cluster, with the same API and semantics as the local
 * {@code Finitomata} (both are {@link FsmSupervisor}s). Call {@link #create} on every node, with the same id.
 *
 * <p>Each FSM is a Cluster Sharding entity whose entity id is its name; shards are placed by a {@link ClusterInfo}
 * (by default a consistent hash ring, so a membership change moves about 1/N of them). Running FSMs are remembered:
 * after a node crashes or leaves they are restarted on the surviving nodes at once, recover from the journal (which
 * must be shared by the nodes: a database journal, or the ETS store between ActorSystems of one JVM) and re-arm their
 * timers and pending delayed transitions. Idle FSMs with nothing scheduled passivate after
 * {@code finitomata.passivate-idle-after} and come back on their next message, so a node can hold far more stored FSMs
 * than live ones.
 *
 * <p>{@link #all()}, {@link #count()} and {@link #random()} ask every node's shard region for its live entities: one
 * round trip per node, eventually consistent (an FSM starting or passivating during the query may be missed or
 * counted). Listeners registered on a node are called for the FSMs running on that node.
 *
 * @param <P> the payload type of the FSMs
 */
public final class Infinitomata<P> implements FsmSupervisor<P> {

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final EntityTypeKey<FsmProtocol.Command> key;
    private final FsmEnvironment environment;
    private final FacadeSupport support;
    private final ClusterInfo clusterInfo;
    private final Duration timeout;
    private final Duration regionQueryTimeout;

    private Infinitomata(ActorSystem<?> system, String id, Class<?> type, FsmFactory<P> factory, ClusterInfo info) {
        this.system = system;
        this.sharding = ClusterSharding.get(system);
        this.clusterInfo = info;
        FsmSettings settings = FsmSettings.from(system.settings().config());
        this.timeout = settings.askTimeout();
        // a region answers after asking its shards, within shard-region-query-timeout: allow that and a margin
        this.regionQueryTimeout = system.settings().config()
                .getDuration("pekko.cluster.sharding.shard-region-query-timeout").plusSeconds(5);
        this.environment = new FsmEnvironment(id, type, settings, (name, ctx) -> { }, true);
        this.support = new FacadeSupport(environment);
        this.key = EntityTypeKey.create(FsmProtocol.Command.class, "finitomata-" + id);
        int moves = system.settings().config().getInt("finitomata.sharding.max-moves-per-rebalance");
        ClusterShardingSettings sharded = ClusterShardingSettings.create(system).withRememberEntities(true)
                .withRememberEntitiesStoreMode(ClusterShardingSettings.rememberEntitiesStoreModeEventSourced());
        sharding.init(Entity.of(key, entity -> Behaviors.<FsmProtocol.Command>withTimers(timers ->
                        Behaviors.setup(ctx -> {
                            var shard = entity.getShard();
                            var self = ctx.getSelf();
                            return factory.create(new FsmContext(environment, entity.getEntityId(), ctx, timers,
                                    () -> shard.tell(new ClusterSharding.Passivate<>(self))));
                        })))
                .withStopMessage(new FsmProtocol.Passivated())
                .withSettings(sharded)
                .withAllocationStrategy(new RingAllocationStrategy(info, moves))
                .withEntityProps(DispatcherSelector.fromConfig(settings.dispatcher())));
    }

    /**
     * Initialises Cluster Sharding for FSMs of {@code type} under {@code id}, placed by the default consistent hash
     * ring. Call it on every node (the ActorSystem must use {@code pekko.actor.provider = cluster}).
     *
     * @throws IllegalArgumentException if {@code id} is blank or contains {@code |}
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

    private EntityRef<FsmProtocol.Command> fsm(String name) {
        return sharding.entityRefFor(key, support.checkName(name));
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
        EntityRef<FsmProtocol.Command> ref = fsm(name);
        support.verifyPayload(system, payload);
        return ref.<FsmProtocol.StartReply>ask(replyTo -> new FsmProtocol.Init(payload, replyTo), timeout)
                .thenApply(reply -> support.startResult(name, reply));
    }

    @Override
    public void transition(String name, String event, Object eventPayload) {
        EntityRef<FsmProtocol.Command> ref = fsm(name);
        ref.tell(new FsmProtocol.Fire(support.checkEvent(event), eventPayload, null));
    }

    @Override
    public void transition(String name, String event, Object eventPayload, Duration delay) {
        EntityRef<FsmProtocol.Command> ref = fsm(name);
        support.checkEvent(event);
        ref.tell(new FsmProtocol.Schedule(event, eventPayload, FacadeSupport.checkDelay(delay).toMillis()));
    }

    @Override
    public CompletionStage<FsmState<P>> transitionAndWait(String name, String event, Object eventPayload) {
        EntityRef<FsmProtocol.Command> ref = fsm(name);
        support.checkEvent(event);
        return ref.<FsmProtocol.Reply>ask(replyTo -> new FsmProtocol.Fire(event, eventPayload, replyTo), timeout)
                .thenApply(reply -> support.<P>state(name, reply));
    }

    @Override
    public CompletionStage<Optional<FsmState<P>>> state(String name) {
        EntityRef<FsmProtocol.Command> ref = fsm(name);
        return ref.<FsmProtocol.StateReply>ask(FsmProtocol.GetState::new, timeout).thenApply(support::<P>state);
    }

    @Override
    public CompletionStage<Boolean> alive(String name) {
        return state(name).thenApply(Optional::isPresent);
    }

    @Override
    public CompletionStage<Map<String, FsmLocation>> all() {
        List<CompletableFuture<Map<String, FsmLocation>>> perNode = new ArrayList<>();
        for (Address node : clusterInfo.nodes()) {
            ActorSelection region = Adapter.toClassic(system).actorSelection(node + "/system/sharding/" + key.name());
            perNode.add(Patterns.ask(region, ShardRegion.getShardRegionStateInstance(), regionQueryTimeout)
                    .thenApply(reply -> {
                        Map<String, FsmLocation> found = new HashMap<>();
                        ((ShardRegion.CurrentShardRegionState) reply).getShards().forEach(shard -> shard
                                .getEntityIds().forEach(name -> found.put(name, new FsmLocation(name, node.toString()))));
                        return found;
                    }).toCompletableFuture());
        }
        return CompletableFuture.allOf(perNode.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, FsmLocation> all = new HashMap<>();
            perNode.forEach(f -> all.putAll(f.join()));
            return Map.copyOf(all);
        });
    }

    /** Refreshes this node's view of the cluster's FSMs (one round trip per node); completes when done. */
    public CompletionStage<Done> synch() {
        return all().thenApply(m -> Done.getInstance());
    }

    @Override
    public CompletionStage<Integer> count() {
        return all().thenApply(Map::size);
    }

    @Override
    public CompletionStage<Optional<String>> random() {
        return all().thenApply(all -> {
            List<String> names = new ArrayList<>(all.keySet());
            return names.isEmpty() ? Optional.empty()
                    : Optional.of(names.get(ThreadLocalRandom.current().nextInt(names.size())));
        });
    }

    @Override
    public CompletionStage<Done> stop(String name) {
        EntityRef<FsmProtocol.Command> ref = fsm(name);
        return ref.<FsmProtocol.Reply>ask(FsmProtocol.Stop::new, timeout).thenApply(reply -> {
            support.state(name, reply);
            return Done.getInstance();
        });
    }

    @Override
    public CompletionStage<Done> delete(String name) {
        EntityRef<FsmProtocol.Command> ref = fsm(name);
        return ref.<FsmProtocol.Reply>ask(FsmProtocol.Stop::new, timeout)
                .thenCompose(reply -> FacadeSupport.deletePersisted(system, environment.settings(),
                        environment.persistenceId(name)));
    }

    @Override
    public void addListener(FsmListener<P> listener) {
        environment.addListener(listener);
    }

    @Override
    public String toString() {
        return "Infinitomata(" + id() + ", " + environment.type().getSimpleName() + ")";
    }
}
