package dev.finitomata.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.ApplicationFsm;
import dev.finitomata.StartResult;
import dev.finitomata.TicketFsm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Internal events and the FSM's own delayed events on {@link Infinitomata}: a client's transition of an internal
 * event is refused at the call, as on one node; a delay scheduled by a transition fires (on real time here), and one
 * cancelled by a later transition does not.
 */
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

    @Test
    void aDelayScheduledByATransitionFiresAndOneCancelledDoesNot() throws Exception {
        Infinitomata<Integer> applications = Infinitomata.create(cluster.systems().get(0), "applications",
                ApplicationFsm.class, ApplicationFsm::new);
        for (String name : List.of("expiring", "approved")) {
            applications.start(name, 0).toCompletableFuture().get(30, TimeUnit.SECONDS);
            applications.transitionAndWait(name, "review", Duration.ofMillis(300)).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        }
        applications.transitionAndWait("approved", "approve", null).toCompletableFuture().get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!state(applications, "expiring").equals("rejected")) {
            assertTrue(System.nanoTime() < deadline, "the delay did not fire within 10 s");
            Thread.sleep(20);
        }
        assertEquals("approved", state(applications, "approved"), "its delay was cancelled, and due as long ago");
        assertTrue(applications.details("approved").toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow()
                .delays().isEmpty());
    }

    private static String state(Infinitomata<Integer> fsms, String name) throws Exception {
        return fsms.state(name).toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow().current();
    }
}
