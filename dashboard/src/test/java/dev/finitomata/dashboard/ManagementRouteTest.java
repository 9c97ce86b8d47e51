package dev.finitomata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.RecordingFsm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.junit.jupiter.api.Test;

/**
 * The dashboard on pekko-management's port: found by management through this module's {@code reference.conf}
 * ({@code pekko.management.http.routes}), next to management's own routes, under {@code /finitomata/}; manual actions
 * follow management's read-only setting.
 */
class ManagementRouteTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** An ActorSystem running one FSM and pekko-management on a free loopback port; answers the management URL. */
    private static ActorTestKit node(String name, String settings) {
        return TestSystems.local(name, settings + """

                pekko.management.http.hostname = "127.0.0.1"
                pekko.management.http.port = 0
                """);
    }

    private static String management(ActorTestKit kit) throws Exception {
        return await(PekkoManagement.get(Adapter.toClassic(kit.system())).start()).toString();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servedOnManagementsPortReadOnlyLikeManagement() throws Exception {
        ActorTestKit kit = node("management-ro", "finitomata.dashboard.actions = on");
        try {
            Finitomata<Counter> orders = Finitomata.create(kit.system(), "orders", RecordingFsm.class,
                    RecordingFsm::new);
            await(orders.start("order-1", new Counter(1)));
            String base = management(kit);

            HttpResponse<String> bare = send(HttpRequest.newBuilder(URI.create(base + "/finitomata")));
            assertEquals(302, bare.statusCode(), "the page's links are relative: it lives at /finitomata/");
            assertTrue(bare.headers().firstValue("Location").orElse("").endsWith("/finitomata/"));
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/finitomata/")));
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<script src=\"mermaid.min.js\"></script>"));
            HttpResponse<String> types = send(HttpRequest.newBuilder(URI.create(base + "/finitomata/api/types")));
            assertEquals(200, types.statusCode(), types.body());
            assertTrue(types.body().contains("\"id\":\"orders\""), types.body());
            assertTrue(types.body().contains("\"idle\":1"), types.body());
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/ready"))).statusCode(),
                    "management's own routes stay");

            // actions are on, but management's routes are read-only (its default): refused, nothing changes
            HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(base
                    + "/finitomata/api/types/orders/fsms/order-1/events/start"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("route-providers-read-only = false"), refused.body());
            assertTrue(send(HttpRequest.newBuilder(URI.create(base + "/finitomata/api/settings"))).body()
                    .contains("\"actions\":false"));
            assertEquals("idle", await(orders.state("order-1")).orElseThrow().current());
            assertSame(FsmDashboard.create(kit.system()), FsmDashboard.create(kit.system()),
                    "one dashboard per system, management's included");
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void actionsWorkWhenManagementAllowsThem() throws Exception {
        ActorTestKit kit = node("management-rw", """
                finitomata.dashboard.actions = on
                finitomata.dashboard.management-path = "ops/fsms"
                pekko.management.http.route-providers-read-only = false
                """);
        try {
            Finitomata<Counter> orders = Finitomata.create(kit.system(), "orders", RecordingFsm.class,
                    RecordingFsm::new);
            await(orders.start("order-1", new Counter(1)));
            String base = management(kit) + "/ops/fsms/";
            HttpResponse<String> sent = send(HttpRequest.newBuilder(URI.create(base
                    + "api/types/orders/fsms/order-1/events/start")).POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, sent.statusCode(), sent.body());
            assertEquals("working", await(orders.state("order-1")).orElseThrow().current());
        } finally {
            kit.shutdownTestKit();
        }
    }
}
