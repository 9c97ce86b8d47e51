package dev.finitomata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.RecordingFsm;
import dev.finitomata.sharding.Infinitomata;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.Test;

/** The cluster view of an {@code Infinitomata} on a one-node cluster, and its absence for a local supervisor. */
class ClusterViewTest {

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void anInfinitomataShowsItsNodesWithTheirFsmsAndShards() throws Exception {
        ActorTestKit kit = ActorTestKit.create("dashboard-cluster", ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.enabled = off
                pekko.coordinated-shutdown.exit-jvm = off
                pekko.loglevel = WARNING
                pekko.persistence.journal.plugin = "finitomata.persistence.ets.journal"
                pekko.persistence.snapshot-store.plugin = "finitomata.persistence.ets.snapshot-store"
                finitomata.persistence.ets.journal.table = "dashboard-cluster-%1$d"
                finitomata.persistence.ets.snapshot-store.table = "dashboard-cluster-%1$d"
                finitomata.persistence.ets.journal.serialize = on
                """.formatted(System.nanoTime())).withFallback(ConfigFactory.load()));
        try {
            Cluster cluster = Cluster.get(kit.system());
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (cluster.selfMember().status() != MemberStatus.up()) {
                assertFalse(System.nanoTime() > deadline, "the node did not come up");
                Thread.onSpinWait();
            }
            Infinitomata<Counter> sharded = Infinitomata.create(kit.system(), "sharded", RecordingFsm.class,
                    RecordingFsm::new);
            Finitomata.create(kit.system(), "local", RecordingFsm.class, RecordingFsm::new);
            for (int i = 0; i < 5; i++) {
                await(sharded.start("fsm-" + i, new Counter(i)));
            }
            ServerBinding binding = await(FsmDashboard.create(kit.system()).serve("127.0.0.1", 0));
            String base = "http://127.0.0.1:" + binding.localAddress().getPort() + "/api/types/";
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> nodes = http.send(HttpRequest.newBuilder(URI.create(base + "sharded/nodes")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, nodes.statusCode(), nodes.body());
            JsonNode node = new ObjectMapper().readTree(nodes.body()).get("nodes").get(0);
            assertEquals(kit.system().address().toString(), node.get("address").asText());
            assertEquals("Up", node.get("status").asText());
            assertTrue(node.get("reachable").asBoolean());
            assertEquals(5, node.get("fsms").asLong());
            assertTrue(node.get("shards").asInt() >= 1, nodes.body());

            HttpResponse<String> local = http.send(HttpRequest.newBuilder(URI.create(base + "local/nodes")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, local.statusCode());
            assertTrue(local.body().contains("runs on this node only"), local.body());
        } finally {
            kit.shutdownTestKit();
        }
    }
}
