package dev.finitomata.sharding;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.RecordingFsm;
import dev.finitomata.RuntimeHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * A cluster of {@code size} ActorSystems on 127.0.0.1 in this JVM, sharing one JVM-wide ETS table as their journal
 * (unless the configuration names another), each running {@link Infinitomata}: the runtime contract's cluster host.
 */
final class ClusterHost extends RuntimeHost {

    static final Duration FORMING = Duration.ofSeconds(60);

    private final List<ActorTestKit> nodes = new ArrayList<>();

    ClusterHost(int size, Config config) {
        for (int i = 0; i < size; i++) {
            ActorTestKit kit = ActorTestKit.create("cluster", config);
            Cluster.get(kit.system()).manager().tell(Join.create(nodes.isEmpty()
                    ? Cluster.get(kit.system()).selfMember().address()
                    : Cluster.get(nodes.get(0).system()).selfMember().address()));
            nodes.add(kit);
        }
        for (ActorTestKit kit : nodes) {
            awaitUp(kit, size);
        }
    }

    /** Cluster settings for tests on loopback, over {@code persistence} (ETS in {@code table} if null). */
    static Config config(String table, Config persistence) {
        Config journal = persistence != null ? persistence : ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "finitomata.persistence.ets.journal"
                pekko.persistence.snapshot-store.plugin = "finitomata.persistence.ets.snapshot-store"
                finitomata.persistence.ets.journal.table = "%1$s"
                finitomata.persistence.ets.snapshot-store.table = "%1$s"
                finitomata.persistence.ets.journal.serialize = on
                """.formatted(table));
        return journal.withFallback(ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.enabled = off
                pekko.cluster.split-brain-resolver.stable-after = 2s
                pekko.cluster.sharding.rebalance-interval = 1s
                pekko.cluster.sharding.number-of-shards = 60
                pekko.coordinated-shutdown.exit-jvm = off
                pekko.loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "dev.finitomata.FsmLoggingFilter"
                """));
    }

    static void awaitUp(ActorTestKit kit, int count) {
        long deadline = System.nanoTime() + FORMING.toNanos();
        while (true) {
            int up = 0;
            for (var m : Cluster.get(kit.system()).state().getMembers()) {
                up += m.status() == MemberStatus.up() ? 1 : 0;
            }
            if (up == count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " members not up within " + FORMING);
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    List<ActorTestKit> kits() {
        return nodes;
    }

    /**
     * {@code create} on every node, the youngest first; answers the results in node order. A new entity type's shard
     * coordinator starts on the oldest node (node 0) as soon as the type starts there, and first reads its state from
     * the sharding replicator of every other member. A member whose sharding has not started yet drops that read, and
     * the coordinator asks again only after {@code waiting-for-state-timeout} (20 s in Finitomata's reference.conf),
     * answering nobody meanwhile. Starting the oldest node last means every replicator is there when it asks.
     */
    <T> List<T> onEveryNode(Function<ActorTestKit, T> create) {
        List<T> youngestFirst = nodes.reversed().stream().map(create).toList();
        return youngestFirst.reversed();
    }

    @Override
    public List<ActorSystem<?>> systems() {
        return nodes.stream().<ActorSystem<?>>map(ActorTestKit::system).toList();
    }

    @Override
    protected List<FsmSupervisor<Counter>> create(String id) {
        List<FsmSupervisor<Counter>> onEveryNode = onEveryNode(kit ->
                Infinitomata.create(kit.system(), id, RecordingFsm.class, RecordingFsm::new));
        // the first call of a new entity type waits for its coordinator: make it here, not in a timed assertion
        onEveryNode.forEach(fsms -> {
            try {
                fsms.alive("warm-up").toCompletableFuture().get(FORMING.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("sharding for '" + id + "' did not come up", e);
            }
        });
        return onEveryNode;
    }

    @Override
    public boolean persistsStops() {
        return true;
    }

    @Override
    public Set<String> nodes() {
        return nodes.stream().map(kit -> kit.system().address().toString()).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        nodes.forEach(kit -> {
            try {
                kit.shutdownTestKit();
            } catch (RuntimeException ignored) {
                // already terminated by the test
            }
        });
    }
}
