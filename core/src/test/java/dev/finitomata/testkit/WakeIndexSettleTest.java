package dev.finitomata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.StallingJournal;
import dev.finitomata.StartResult;
import dev.finitomata.testkit.Subscription.Account;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FsmTestKit#advance} lets the durable wake index's writes finish before time moves. A stopped FSM leaves the
 * index a write to forget its delay, which nobody awaits; a step taken while it was in flight ran the timeouts of its
 * ask and of the journal's call (Pekko's circuit breaker), failed it, and left the index restarting on a backoff that
 * only a later step ends: the next start then waited for the index the whole ask-timeout (a CI run of
 * {@code VirtualTimeTest.aDelayThatFellDueWhileStoppedFiresFromTheJournalWhenLoaded}). Here the journal holds that
 * write until well after {@code advance} was called.
 */
class WakeIndexSettleTest {

    private ActorTestKit testKit;

    @AfterEach
    void shutdown() {
        StallingJournal.release();
        if (testKit != null) {
            testKit.shutdownTestKit();
        }
    }

    @Test
    void advanceWaitsForTheWakeIndexWriteThatAStoppedFsmLeft() throws Exception {
        testKit = ActorTestKit.create("wake-index-settle", ManualTime.config()
                .withFallback(StallingJournal.config())
                .withFallback(ConfigFactory.parseString("pekko.loglevel = WARNING"))
                .withFallback(ConfigFactory.load()));
        FsmTestKit<Account> kit = FsmTestKit.create(testKit, Subscription.class, Subscription::new);
        kit.start("sleeper", new Account(kit.now().toEpochMilli(), 0, List.of()));
        kit.supervisor().transition("sleeper", "expire", null, Duration.ofDays(30));
        kit.settle(); // the delay is in the wake index (written before it was scheduled)

        StallingJournal.stall();
        kit.supervisor().stop("sleeper").toCompletableFuture().get(10, TimeUnit.SECONDS); // its forget is held
        AtomicBoolean released = new AtomicBoolean();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(500); // the write stays held while advance starts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            released.set(true);
            StallingJournal.release();
        });
        kit.advance(Duration.ofDays(40));
        assertTrue(released.get(), "advance moved time while the wake index's write was held");

        assertEquals(StartResult.LOADED, kit.supervisor().start("sleeper", new Account(0, 0, List.of()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS), "the index answers: it was not failed by a step");
        kit.settle();
        assertEquals("closed", kit.attach("sleeper").state().current(), "the overdue expiry fired when loaded");
    }
}
