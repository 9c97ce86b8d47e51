package dev.finitomata.dashboard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Arrays;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;

/** The ActorSystems of the dashboard's tests: on the ETS store, alone or as nodes of a loopback cluster. */
final class TestSystems {

    private TestSystems() {
    }

    /** A system named {@code name} on a fresh ETS table, with {@code settings} (HOCON) on top. */
    static ActorTestKit local(String name, String settings) {
        return onTable(name, name + "-" + System.nanoTime(), settings);
    }

    /** A cluster node (not joined yet) on the ETS table {@code table}: nodes given one table share the store. */
    static ActorTestKit clusterNode(String name, String table) {
        return onTable(name, table, """
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.enabled = off
                pekko.coordinated-shutdown.exit-jvm = off
                finitomata.persistence.ets.journal.serialize = on
                """);
    }

    private static ActorTestKit onTable(String name, String table, String settings) {
        return ActorTestKit.create(name, ConfigFactory.parseString(settings + """

                pekko.loglevel = WARNING
                pekko.persistence.journal.plugin = "finitomata.persistence.ets.journal"
                pekko.persistence.snapshot-store.plugin = "finitomata.persistence.ets.snapshot-store"
                finitomata.persistence.ets.journal.table = "%1$s"
                finitomata.persistence.ets.snapshot-store.table = "%1$s"
                """.formatted(table)).withFallback(ConfigFactory.load()));
    }

    /** Joins {@code nodes} into one cluster (the first one's) and waits until every one is up. */
    static void joinAndWaitUp(ActorTestKit... nodes) {
        var first = Cluster.get(nodes[0].system()).selfMember().address();
        for (ActorTestKit node : nodes) {
            Cluster.get(node.system()).manager().tell(Join.create(first));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Arrays.stream(nodes).allMatch(n -> Cluster.get(n.system()).selfMember().status() == MemberStatus.up()
                && Cluster.get(n.system()).state().members().size() == nodes.length)) {
            assertTrue(System.nanoTime() < deadline, "the cluster did not come up within 30 s");
            Thread.onSpinWait();
        }
    }

    /**
     * Shuts the cluster's nodes down one at a time, the last first, each once the others have seen the one before it
     * removed, and allows each 30 s; the last one downs itself first, so that its shard regions and its cluster leave
     * skip their hand-offs (nothing is checked after, and there is no one left to hand over to).
     *
     * <p>Why: the last node used to wait out its regions' graceful hand-off (Pekko gives up after 9 s) and then the
     * cluster-exiting phase (10 s), in about one run of eight. When the younger node left, its shards were being
     * allocated to the last node, and the coordinator's write of an allocation in flight when the younger node's system
     * ended waits, in a 2-node cluster, for the departed node's acknowledgement until {@code updating-state-timeout}
     * (20 s), holding every other request meanwhile, the last region's hand-off included (docs/cluster.md, section 9).
     * Downing every node at once avoided it too, but each node then quarantined the other: a page of warnings.
     */
    static void shutDown(ActorTestKit... nodes) {
        for (int i = nodes.length - 1; i >= 0; i--) {
            Cluster leavingCluster = Cluster.get(nodes[i].system());
            var leaving = leavingCluster.selfMember().address();
            if (i == 0) {
                leavingCluster.manager().tell(new Down(leaving));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                // shut down before it saw itself down, it would leave gracefully after all
                while (leavingCluster.selfMember().status() != MemberStatus.down()
                        && !nodes[i].system().getWhenTerminated().toCompletableFuture().isDone()) {
                    assertTrue(System.nanoTime() < deadline, leaving + " did not see itself down within 30 s");
                    Thread.onSpinWait();
                }
            }
            ActorTestKit.shutdown(nodes[i].system(), Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (int j = 0; j < i; j++) {
                Cluster staying = Cluster.get(nodes[j].system());
                while (java.util.stream.StreamSupport.stream(staying.state().getMembers().spliterator(), false)
                        .anyMatch(m -> m.address().equals(leaving))) {
                    assertTrue(System.nanoTime() < deadline, leaving + " was not removed within 30 s");
                    Thread.onSpinWait();
                }
            }
        }
    }

    /**
     * Waits until sharding of {@code fsms}' type answers on every node. The shard coordinator reads its state from
     * every node's replicator; one asked before a node started sharding is answered only after
     * {@code waiting-for-state-timeout} (20 s here), longer than a call's ask timeout (a CI run once failed the first
     * start so). So the first calls are made here, repeated until they answer.
     */
    static void warmUp(dev.finitomata.FsmSupervisor<?>... fsms) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (dev.finitomata.FsmSupervisor<?> onNode : fsms) {
            while (true) {
                try {
                    onNode.alive("warm-up").toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
                    break;
                } catch (Exception notYet) {
                    assertTrue(System.nanoTime() < deadline, "sharding did not answer within 90 s: " + notYet);
                }
            }
        }
    }
}
