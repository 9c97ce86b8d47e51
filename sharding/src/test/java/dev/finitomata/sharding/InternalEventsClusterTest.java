package dev.finitomata.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.StartResult;
import dev.finitomata.TicketFsm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Internal events on {@link Infinitomata}: a client's transition of one is refused at the call, as on one node. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InternalEventsClusterTest {

    private ClusterHost cluster;

    @BeforeAll
    void cluster() {
        cluster = new ClusterHost(1, ClusterHost.config("internal-" + System.nanoTime(), null)
                .withFallback(ConfigFactory.load()));
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void aClientCannotSendAnInternalEvent() throws Exception {
        Infinitomata<Integer> tickets = Infinitomata.create(cluster.systems().get(0), "tickets", TicketFsm.class,
                TicketFsm::new);
        assertEquals(StartResult.STARTED, tickets.start("t-1", 0).toCompletableFuture().get(30, TimeUnit.SECONDS));
        for (Runnable call : List.<Runnable>of(
                () -> tickets.transitionAndWait("t-1", "escalate", null),
                () -> tickets.transition("t-1", "escalate", null),
                () -> tickets.transition("t-1", "escalate", null, Duration.ofMinutes(1)))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
            assertTrue(e.getMessage().contains("event 'escalate' is internal to TicketFsm"), e.getMessage());
        }
        assertEquals(1, tickets.transitionAndWait("t-1", "reply", null).toCompletableFuture()
                .get(10, TimeUnit.SECONDS).payload(), "other events go through");
    }
}
