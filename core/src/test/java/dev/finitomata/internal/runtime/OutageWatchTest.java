package dev.finitomata.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.RecordingFsm;
import dev.finitomata.StallingJournal;
import dev.finitomata.StartResult;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.Replies;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outage watch follows each FSM that has had an awaited write for as long as the FSM lives (a write then only
 * sets and clears a field of its FSM), and lets it go however it ends: stopped through its facade, passivated, or
 * stopped from outside by its parent. Otherwise every FSM ever started would stay reachable from the watch. That a
 * verdict tells the callers of the writes in flight is shown by {@code SlowWriteCheckTest}.
 */
class OutageWatchTest {

    private ActorTestKit testKit;
    private StoreOutage outage;

    @BeforeEach
    void start() {
        testKit = BareHost.kit("OutageWatchTest", "finitomata.passivate-idle-after = 300ms");
        outage = StoreOutage.of(testKit.system(), FsmSettings.from(testKit.system().settings().config()));
    }

    @AfterEach
    void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void theWatchFollowsAnFsmWhileItLivesAndLetsItGoWhenItStopsOrPassivates() {
        Finitomata<Counter> fsms = Finitomata.create(testKit.system(), "watched", RecordingFsm.class,
                RecordingFsm::new);
        for (int i = 0; i < 6; i++) {
            assertEquals(StartResult.STARTED, await(fsms.start("fsm-" + i, new Counter(0))));
        }
        assertEquals(6, outage.followed(), "each FSM joins at its first awaited write (its start)");
        for (int n = 0; n < 3; n++) {
            for (int i = 0; i < 6; i++) {
                await(fsms.transitionAndWait("fsm-" + i, n == 0 ? "start" : "work", null));
            }
        }
        assertEquals(6, outage.followed(), "once, however many writes it makes");
        await(fsms.stop("fsm-0"));
        await(fsms.stop("fsm-1"));
        eventually(() -> outage.followed(), 4, "stopped through the facade");
        eventually(() -> outage.followed(), 0, "passivated (idle 300 ms)");
        await(fsms.transitionAndWait("fsm-2", "work", null)); // woken by a call: followed again
        assertEquals(1, outage.followed());
    }

    @Test
    void anFsmStoppedFromOutsideIsLetGoToo() {
        ActorRef<Command> fsm = BareHost.spawn(testKit, BareHost.type(testKit, "outside"), "outside-1", false);
        TestProbe<Replies.StartReply> started = testKit.createTestProbe();
        fsm.tell(new Command.Init(new Counter(0), null, started.ref()));
        assertEquals(StartResult.STARTED, started.receiveMessage().result());
        assertEquals(1, outage.followed());
        testKit.stop(fsm); // by its parent, without a word to the FSM: only PostStop tells it
        eventually(() -> outage.followed(), 0, "stopped by its parent");
    }

    @Test
    void anFsmRestartedAfterAFailedWriteIsFollowedOnce() {
        ActorTestKit failing = ActorTestKit.create("OutageWatchRestartTest", ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                """).withFallback(StallingJournal.config()).withFallback(ConfigFactory.load()));
        try {
            StoreOutage watch = StoreOutage.of(failing.system(),
                    FsmSettings.from(failing.system().settings().config()));
            Finitomata<Counter> fsms = Finitomata.create(failing.system(), "restarted", RecordingFsm.class,
                    RecordingFsm::new);
            assertEquals(StartResult.STARTED, await(fsms.start("fsm", new Counter(0))));
            assertEquals(1, watch.followed());
            StallingJournal.failNextWrite();
            CompletionException failed = assertThrows(CompletionException.class,
                    () -> await(fsms.transitionAndWait("fsm", "start", null)));
            assertTrue(failed.getCause().getMessage().contains("failed to write"), failed.getCause().getMessage());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!written(() -> await(fsms.transitionAndWait("fsm", "start", null)))) { // restarted with backoff
                assertTrue(System.nanoTime() < deadline, "the FSM did not come back");
            }
            // the instance that failed (Pekko restarted the FSM in a new one, without a PostStop) is let go
            eventually(watch::followed, 1, "restarted after a failed write");
            assertTrue(watch.timesWrites(), "the journal has a check of its own: its awaited writes are counted");
            // every awaited write counted begun was counted over, the failed one too: the watch sees none in flight
            assertEquals(0, watch.awaitedInFlight());
            await(fsms.stop("fsm"));
            assertEquals(0, watch.awaitedInFlight());
        } finally {
            failing.shutdownTestKit();
        }
    }

    private static boolean written(Runnable call) {
        try {
            call.run();
            return true;
        } catch (CompletionException notYet) {
            return false;
        }
    }

    private static <T> T await(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }

    private static void eventually(IntSupplier actual, int expected, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (actual.getAsInt() != expected) {
            assertTrue(System.nanoTime() < deadline, what + ": the watch follows " + actual.getAsInt()
                    + " FSMs, not " + expected);
            Thread.onSpinWait();
        }
    }
}
