package dev.finitomata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmLocation;
import dev.finitomata.RecordingFsm;
import dev.finitomata.sharding.Infinitomata;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/**
 * Transitions per edge and failures per stage of an {@code Infinitomata} are the cluster's: each node counts what
 * its FSMs did, and the page of any node adds up the counts of every node's dashboard (two ActorSystems in one
 * cluster, messages serialized between them). A local {@code Finitomata}'s stay the node's own.
 */
class ClusterCountsTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static void eventually(Supplier<Boolean> check, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!check.get()) {
            assertTrue(System.nanoTime() < deadline, "not within 30 s: " + what);
            Thread.onSpinWait();
        }
    }

    private JsonNode type(String base, String id) throws Exception {
        HttpResponse<String> types = http.send(HttpRequest.newBuilder(URI.create(base + "api/types")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, types.statusCode(), types.body());
        for (JsonNode t : json.readTree(types.body()).get("types")) {
            if (t.get("id").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no type " + id + " in " + types.body());
    }

    private static long taken(JsonNode type, String from, String event) {
        for (JsonNode t : type.get("transitions")) {
            if (t.get("from").asText().equals(from) && t.get("event").asText().equals(event)) {
                return t.get("taken").asLong();
            }
        }
        throw new AssertionError("no edge " + from + " --" + event + "--> in " + type);
    }

    @Test
    void anInfinitomatasEdgesAndFailuresAreAddedUpOverTheCluster() throws Exception {
        String table = "dashboard-counts-" + System.nanoTime();
        ActorTestKit a = TestSystems.clusterNode("dashboard-counts", table);
        ActorTestKit b = TestSystems.clusterNode("dashboard-counts", table);
        try {
            TestSystems.joinAndWaitUp(a, b);
            Infinitomata<Counter> onA = Infinitomata.create(a.system(), "sharded", RecordingFsm.class,
                    RecordingFsm::new);
            Infinitomata<Counter> onB = Infinitomata.create(b.system(), "sharded", RecordingFsm.class,
                    RecordingFsm::new);
            TestSystems.warmUp(onA, onB);
            Finitomata.create(a.system(), "local", RecordingFsm.class, RecordingFsm::new);
            Finitomata<Counter> localOnB = Finitomata.create(b.system(), "local", RecordingFsm.class,
                    RecordingFsm::new);
            String base = "http://127.0.0.1:" + await(FsmDashboard.create(a.system()).serve("127.0.0.1", 0))
                    .localAddress().getPort() + "/";
            FsmDashboard.create(b.system());

            for (int i = 0; i < 20; i++) {
                await(onA.start("fsm-" + i, new Counter(i)));
                await(onA.transitionAndWait("fsm-" + i, "start", null));
            }
            for (int i = 0; i < 3; i++) { // refused in 'working': a failure of stage ACCEPT, counted where it ran
                onB.transitionAndWait("fsm-" + i, "resume", null).exceptionally(f -> null).toCompletableFuture()
                        .join();
            }
            await(localOnB.start("only-on-b", new Counter(0)));
            Set<String> hosts = await(onA.all()).values().stream().map(FsmLocation::node).collect(Collectors.toSet());
            assertEquals(2, hosts.size(), "the FSMs run on both nodes: " + hosts);

            eventually(() -> {
                try {
                    JsonNode sharded = type(base, "sharded");
                    return sharded.get("countedOn").get("asked").asInt() == 2 && taken(sharded, "idle", "start") == 20;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "node B's dashboard is found through the receptionist and its counts added");
            JsonNode sharded = type(base, "sharded");
            assertEquals(2, sharded.get("countedOn").get("nodes").asInt());
            assertEquals(20, taken(sharded, "*", "__start__"));
            assertEquals(Map.of("ACCEPT", 3L), Map.of("ACCEPT", sharded.get("failures").get("ACCEPT").asLong()));
            assertEquals(20, sharded.get("counts").get("working").asLong());

            JsonNode local = type(base, "local");
            assertEquals(0, taken(local, "*", "__start__"), "a local supervisor's counts are its node's own");
            assertEquals(1, local.get("countedOn").get("asked").asInt());
        } finally {
            TestSystems.shutDown(a, b);
        }
    }
}
