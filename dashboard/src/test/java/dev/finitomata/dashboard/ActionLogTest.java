package dev.finitomata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.RecordingFsm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A manual action is logged with who made it, as the application tells ({@code route(who)}), and from where. */
class ActionLogTest {

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void anActionIsLoggedWithTheApplicationsUser() throws Exception {
        ActorTestKit kit = TestSystems.local("dashboard-who", """
                finitomata.dashboard.actions = on
                pekko.http.server.remote-address-attribute = on
                """);
        Logger log = (Logger) LoggerFactory.getLogger("dev.finitomata.dashboard.FsmDashboard");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        log.addAppender(seen);
        log.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            Finitomata<Counter> orders = Finitomata.create(kit.system(), "orders", RecordingFsm.class,
                    RecordingFsm::new);
            await(orders.start("order-1", new Counter(1)));
            // the application's own user, here from a header its proxy sets
            var route = FsmDashboard.create(kit.system()).route(request -> request.getHeader("X-User")
                    .map(HttpHeader::value));
            int port = await(Http.get(kit.system()).newServerAt("127.0.0.1", 0).bind(route)).localAddress()
                    .getPort();
            HttpClient http = HttpClient.newHttpClient();
            String fsm = "http://127.0.0.1:" + port + "/api/types/orders/fsms/order-1";
            HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(fsm + "/events/start"))
                    .header("X-User", "alice").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, sent.statusCode(), sent.body());
            HttpResponse<String> stopped = http.send(HttpRequest.newBuilder(URI.create(fsm + "/stop"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stopped.statusCode(), stopped.body());
            // the dashboard's own server records the client's address whatever the configuration says
            int own = await(FsmDashboard.create(kit.system()).serve("127.0.0.1", 0)).localAddress().getPort();
            HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + own
                    + "/api/types/orders/fsms/order-1")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, deleted.statusCode(), deleted.body());

            List<String> lines = seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(List.of(
                    "dashboard action by alice (127.0.0.1): event 'start' to FSM 'order-1' of type 'orders'",
                    "dashboard action by 127.0.0.1: stop FSM 'order-1' of type 'orders'",
                    "dashboard action by 127.0.0.1: delete FSM 'order-1' of type 'orders'"), lines);
            assertTrue(seen.list.get(0).getTimeStamp() > 0, "when: the log's timestamp");
            assertEquals(Optional.empty(), await(orders.state("order-1")));
        } finally {
            log.detachAppender(seen);
            kit.shutdownTestKit();
        }
    }
}
