package dev.finitomata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.RecordingFsm;
import dev.finitomata.sharding.Infinitomata;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.Test;

/** The cluster view of an {@code Infinitomata} on a one-node cluster, and its absence for a local supervisor. */
class ClusterViewTest {

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void anInfinitomataShowsItsNodesWithTheirFsmsAndShards() throws Exception {
        ActorTestKit kit = TestSystems.clusterNode("dashboard-cluster", "dashboard-cluster-" + System.nanoTime());
        try {
            TestSystems.joinAndWaitUp(kit);
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
