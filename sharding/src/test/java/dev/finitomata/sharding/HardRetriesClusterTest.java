package dev.finitomata.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.FsmLocation;
import dev.finitomata.Retry;
import dev.finitomata.ShipmentFsm;
import dev.finitomata.sharding.it.ClusterProbes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retried hard events (issue 25, point 2) on {@link Infinitomata}, through a failover: 12 orders whose first attempt
 * to ship fails wait 5 s for their retry; the node hosting some of them is downed meanwhile. Each order is shipped on
 * a survivor by its second attempt, exactly once, and no recovery fires its first attempt again.
 */
class HardRetriesClusterTest {

    private ClusterHost host;

    @AfterEach
    void close() {
        if (host != null) {
            host.close();
        }
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T> Optional<T> quickly(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return Optional.ofNullable(stage.toCompletableFuture().get(2, TimeUnit.SECONDS));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Test
    void aPendingRetryRunsOnceOnTheSurvivorsAfterItsNodeIsDowned() {
        host = new ClusterHost(3, ClusterHost.config("retries-" + System.nanoTime(), null)
                .withFallback(ConfigFactory.load()));
        List<Infinitomata<Integer>> onNodes = host.kits().stream().map(kit -> Infinitomata.create(kit.system(),
                "shipments", ShipmentFsm.class, ShipmentFsm::new)).toList();
        Infinitomata<Integer> onA = onNodes.get(0);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = "slow-cluster-" + System.nanoTime() + "-" + i;
            ShipmentFsm.failNext(name, 1);
            await(onA.start(name, 0));
            await(onA.transitionAndWait(name, "pay", null));
            names.add(name);
        }
        for (String name : names) {
            ClusterProbes.eventually(Duration.ofSeconds(10), () -> ShipmentFsm.attempts(name).size() == 1,
                    name + " made its first attempt");
        }
        // the node to down: of the two others, the one that hosts more orders (placement follows the names)
        Map<String, FsmLocation> all = await(onA.all());
        ActorTestKit nodeC = ClusterHost.busiest(host.kits().subList(1, 3), all.values());
        String cAddress = nodeC.system().address().toString();
        List<String> onC = names.stream().filter(n -> all.get(n).node().equals(cAddress)).toList();
        assertFalse(onC.isEmpty(), "some orders live on the node to be downed: " + all);
        Cluster.get(host.kits().get(0).system()).manager().tell(new Down(Cluster.get(nodeC.system()).selfMember()
                .address()));
        nodeC.shutdownTestKit();
        for (String name : names) {
            ClusterProbes.eventually(Duration.ofSeconds(60), () -> quickly(onA.state(name)).flatMap(s -> s)
                    .map(s -> s.current().equals("shipped")).orElse(false), name + " is shipped");
            assertEquals(List.of(1, 2), ShipmentFsm.attempts(name).stream().map(Retry.Attempt::number).toList(),
                    name + (onC.contains(name) ? " (failed over)" : "") + ": each attempt once");
        }
        System.out.printf("retried hard events: %d orders shipped by their second attempt, %d of them after a "
                + "failover%n", names.size(), onC.size());
    }
}
