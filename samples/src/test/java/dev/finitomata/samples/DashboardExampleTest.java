package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.Finitomata;
import dev.finitomata.dashboard.FsmDashboard;
import dev.finitomata.persistence.ets.Ets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.Test;

/** The example of docs/dashboard.md (DocsTest checks the doc quotes it): the order FSMs' dashboard, served alone. */
class DashboardExampleTest {

    @Test
    void theDashboardServesTheOrders() throws Exception {
        ActorTestKit testKit = ActorTestKit.create("dashboard-example", ConfigFactory.parseString(
                "finitomata.persistence.ets.journal.table = \"dashboard-" + System.nanoTime() + "\"")
                .withFallback(Ets.config()).withFallback(ConfigFactory.load()));
        try {
            ActorSystem<?> system = testKit.system();
            int port = 0;
            FsmDashboard dashboard = FsmDashboard.create(system); // every supervisor of the system, later ones too
            ServerBinding binding = dashboard.serve("127.0.0.1", port).toCompletableFuture().join(); // its own server
            Route route = dashboard.route(); // or inside your own pekko-http routes

            Finitomata<Order> orders = Finitomata.create(system, "orders", OrderFsm.class, OrderFsm::new);
            orders.start("order-1", new Order("order-1", 100, true, 0, 0)).toCompletableFuture().join();
            HttpResponse<String> types = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + binding.localAddress().getPort() + "/api/types")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, types.statusCode());
            assertTrue(types.body().contains("\"counts\":{\"created\":1}"), types.body());
            assertTrue(route != null);
        } finally {
            testKit.shutdownTestKit();
        }
    }
}
