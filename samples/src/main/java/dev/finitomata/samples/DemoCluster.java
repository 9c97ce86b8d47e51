package dev.finitomata.samples;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.persistence.file.FilePersistence;
import dev.finitomata.sharding.Infinitomata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;

/** Three Pekko cluster nodes in this JVM on loopback ports, sharing the file journal under the data directory. */
final class DemoCluster implements AutoCloseable {

    /** One node: its ActorSystem and its Infinitomata. */
    record Node(String label, ActorSystem<Void> system, Infinitomata<Order> orders) {
        Address address() {
            return Cluster.get(system).selfMember().address();
        }
    }

    private final List<Node> nodes = new ArrayList<>();

    DemoCluster(Path data, int size) throws InterruptedException {
        Config config = ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.enabled = off
                pekko.cluster.sharding.number-of-shards = 100
                pekko.cluster.sharding.rebalance-interval = 2s
                pekko.coordinated-shutdown.exit-jvm = off
                pekko.loglevel = ERROR
                pekko.stdout-loglevel = ERROR
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                finitomata.ask-timeout = 3s
                finitomata.persistence.file.journal.compaction.interval = 1h
                """).withFallback(FilePersistence.config(data)).withFallback(ConfigFactory.load());
        for (int i = 1; i <= size; i++) {
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "demo", config);
            Address seed = nodes.isEmpty() ? Cluster.get(system).selfMember().address() : nodes.get(0).address();
            Cluster.get(system).manager().tell(Join.create(seed));
            Infinitomata<Order> orders = Infinitomata.create(system, "orders", OrderFsm.class, OrderFsm::new);
            nodes.add(new Node("node-" + i, system, orders));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!allUp(size)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the demo cluster did not form within 30 s");
            }
            Thread.sleep(50);
        }
    }

    private boolean allUp(int size) {
        for (Node node : nodes) {
            int up = 0;
            for (var member : Cluster.get(node.system()).state().getMembers()) {
                up += member.status() == MemberStatus.up() ? 1 : 0;
            }
            if (up != size) {
                return false;
            }
        }
        return true;
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    Node node(int index) {
        return nodes.get(index);
    }

    /** Crashes {@code victim}: the first node downs it and it stops without leaving (no hand-over). */
    void crash(Node victim) {
        Cluster.get(nodes.get(0).system()).manager().tell(new Down(victim.address()));
        nodes.remove(victim);
        victim.system().terminate();
    }

    String labelOf(String address) {
        for (Node node : nodes) {
            if (node.address().toString().equals(address)) {
                return node.label();
            }
        }
        return address;
    }

    @Override
    public void close() {
        nodes.forEach(n -> n.system().terminate());
        nodes.forEach(n -> {
            try {
                n.system().getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort
            }
        });
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
