package dev.finitomata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmDetails;
import dev.finitomata.FsmQuery;
import dev.finitomata.FsmSummary;
import dev.finitomata.RecordingFsm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard's JSON API and static files, served alone over HTTP on loopback: what it answers for FSMs in
 * several states (the same as the supervisors' own calls), and the 4xx answers to bad requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FsmDashboardTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ActorTestKit kit;
    private Finitomata<Counter> orders;
    private String base;

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @BeforeAll
    void start() throws Exception {
        kit = TestSystems.local("dashboard", "");
        orders = Finitomata.create(kit.system(), "orders", RecordingFsm.class, RecordingFsm::new);
        FsmDashboard dashboard = FsmDashboard.create(kit.system()); // after one supervisor, before another
        Finitomata.create(kit.system(), "later", RecordingFsm.class, RecordingFsm::new);
        RecordingFsm.TIMERS.put("order-0", Duration.ofHours(2));
        for (int i = 0; i < 4; i++) {
            await(orders.start("order-" + i, new Counter(i)));
        }
        for (int i : new int[] {2, 0, 3}) {
            await(orders.transitionAndWait("order-" + i, "start", null));
        }
        await(orders.transitionAndWait("order-0", "work", null)); // entered again: now the newest in working
        orders.transition("order-0", "pause?", null, Duration.ofHours(1));
        ServerBinding binding = await(dashboard.serve("127.0.0.1", 0));
        base = "http://127.0.0.1:" + binding.localAddress().getPort() + "/";
    }

    @AfterAll
    void stop() {
        kit.shutdownTestKit();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return json.readTree(response.body());
    }

    private void refused(String path, int status, String says) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(status, response.statusCode(), path + ": " + response.body());
        String error = json.readTree(response.body()).get("error").asText();
        assertTrue(error.contains(says), path + ": " + error);
    }

    @Test
    void typesCarryTheDefinitionTheCountsAndTheEdgesTaken() throws Exception {
        JsonNode types = ok("api/types").get("types");
        List<String> ids = new ArrayList<>();
        types.forEach(t -> ids.add(t.get("id").asText()));
        assertEquals(List.of("later", "orders"), ids, "every supervisor, the one created later too");
        JsonNode type = types.get(1);
        Map<String, Long> counts = new TreeMap<>();
        type.get("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        assertEquals(await(orders.countByState()), counts);
        assertEquals("idle", type.get("entry").asText());
        assertTrue(type.get("descriptions").isObject(), "the states' descriptions (none here): " + type);
        long started = -1;
        long worked = -1;
        for (JsonNode t : type.get("transitions")) {
            if (t.get("from").asText().equals("idle") && t.get("event").asText().equals("start")) {
                started = t.get("taken").asLong();
            }
            if (t.get("event").asText().equals("work")) {
                worked = t.get("taken").asLong();
            }
        }
        assertEquals(3, started);
        assertEquals(1, worked);
    }

    @Test
    void aStateListsItsFsmsOldestFirstInPages() throws Exception {
        // as find() answers: by when they entered (order-0 entered again last), then by name within a millisecond
        List<FsmSummary> all = await(orders.find(FsmQuery.inState("working")));
        assertEquals(3, all.size());
        assertEquals("order-2", all.get(0).name());
        JsonNode page = ok("api/types/orders/states/working?limit=2");
        List<String> names = new ArrayList<>();
        page.get("fsms").forEach(f -> names.add(f.get("name").asText()));
        assertEquals(List.of(all.get(0).name(), all.get(1).name()), names);
        JsonNode last = page.get("fsms").get(1);
        assertEquals(all.get(1).since().toEpochMilli(), last.get("since").asLong());
        JsonNode next = ok("api/types/orders/states/working?limit=2&afterSince=" + last.get("since").asLong()
                + "&afterName=" + last.get("name").asText());
        assertEquals(1, next.get("fsms").size());
        assertEquals(all.get(2).name(), next.get("fsms").get(0).get("name").asText());
        assertTrue(next.get("fsms").get(0).get("inStateMillis").asLong() >= 0);
        assertEquals(0, ok("api/types/orders/states/paused").get("fsms").size());
    }

    @Test
    void oneFsmShowsItsStatePayloadNodeScheduleAndHistory() throws Exception {
        JsonNode fsm = ok("api/types/orders/fsms/order-0");
        assertTrue(fsm.get("running").asBoolean());
        assertEquals("working", fsm.get("state").asText());
        assertEquals(kit.system().address().toString(), fsm.get("node").asText());
        FsmDetails<Counter> details = await(orders.details("order-0")).orElseThrow();
        assertEquals(1, fsm.get("delays").size());
        assertEquals("pause?", fsm.get("delays").get(0).get("event").asText());
        assertEquals(details.delays().get(0).dueAt().toEpochMilli(), fsm.get("delays").get(0).get("dueAt").asLong());
        assertEquals(Duration.ofHours(2).toMillis(), fsm.get("timer").get("intervalMillis").asLong());
        assertEquals(details.timer().orElseThrow().nextTick().toEpochMilli(), fsm.get("timer").get("nextTick").asLong());
        assertEquals(json.valueToTree(await(orders.state("order-0")).orElseThrow().payload()), fsm.get("payload"));
        List<String> steps = new ArrayList<>();
        fsm.get("history").forEach(e -> steps.add(e.get("from").asText() + ">" + e.get("event").asText() + ">"
                + e.get("to").asText()));
        assertEquals(List.of("*>__start__>idle", "idle>start>working", "working>work>working"), steps);
    }

    @Test
    void badRequestsAreAnsweredWithWhatWasWrong() throws Exception {
        refused("api/types/nope/states/idle", 404, "no FSM type 'nope'; the types are [later, orders]");
        refused("api/types/orders/states/nowhere", 404, "has no state 'nowhere'");
        refused("api/types/orders/fsms/nobody", 404, "no FSM 'nobody' of type 'orders'");
        refused("api/types/orders/states/idle?limit=abc", 400, "limit must be a whole number from 1 to 1000");
        refused("api/types/orders/states/idle?limit=0", 400, "limit must be a whole number");
        refused("api/types/orders/states/idle?limit=5000", 400, "limit must be a whole number");
        refused("api/types/orders/states/idle?afterSince=5", 400, "afterSince and afterName go together");
        refused("api/types/orders/states/idle?afterSince=x&afterName=y", 400, "afterSince must be epoch");
    }

    @Test
    void manualActionsAreRefusedByTheServerWhenOff() throws Exception {
        String before = await(orders.state("order-1")).orElseThrow().current();
        for (HttpRequest request : List.of(
                HttpRequest.newBuilder(URI.create(base + "api/types/orders/fsms/order-1/events/start"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpRequest.newBuilder(URI.create(base + "api/types/orders/fsms/order-1/stop"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpRequest.newBuilder(URI.create(base + "api/types/orders/fsms/order-1")).DELETE().build())) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(403, response.statusCode(), request + ": " + response.body());
            assertTrue(response.body().contains("set finitomata.dashboard.actions = on"), response.body());
        }
        assertEquals(before, await(orders.state("order-1")).orElseThrow().current(), "nothing changed");
        assertEquals(false, ok("api/settings").get("actions").asBoolean());
    }

    @Test
    void thePageAndItsLibraryAreServedFromTheJar() throws Exception {
        HttpResponse<String> page = get("");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"mermaid.min.js\"></script>"));
        HttpResponse<String> mermaid = get("mermaid.min.js");
        assertEquals(200, mermaid.statusCode());
        assertTrue(mermaid.body().length() > 1_000_000, "Mermaid's bundle");
        assertEquals(200, get("dashboard.js").statusCode());
        assertEquals(404, get("api/unknown").statusCode());
    }
}
