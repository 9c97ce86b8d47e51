package dev.finitomata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watch of awaited writes ({@code finitomata.outage.slow-write-check}): a write that a caller waits for and that
 * is stuck (as one queued for a pool connection when the database went away) makes the node ask the store's own check.
 * A store that does not answer is an outage, and the caller hears at once that the write is in doubt, long before any
 * timeout; a store that answers is only slow, and the write completes as usual.
 */
class SlowWriteCheckTest {

    private static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.parseString("""
            finitomata.ask-timeout = 60s
            finitomata.outage.slow-write-check = 200ms
            """).withFallback(StallingJournal.config()).withFallback(ConfigFactory.load()));
    private static final Finitomata<Counter> FSMS = Finitomata.create(KIT.system(), "slow-writes", RecordingFsm.class,
            RecordingFsm::new);

    @AfterEach
    void mend() {
        StallingJournal.unreachable(false);
        StallingJournal.stallReads(false);
        StallingJournal.release();
    }

    @AfterAll
    static void close() {
        KIT.shutdownTestKit();
    }

    private static <T> T await(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(90, TimeUnit.SECONDS).join();
    }

    @Test
    void aStuckWriteWhileTheStoreIsUnreachableIsAnsweredInDoubtAtOnce() {
        await(FSMS.start("stuck", new Counter(0)));
        StallingJournal.stall();
        StallingJournal.unreachable(true);
        long asked = System.nanoTime();
        CompletionException failed = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> await(FSMS.transitionAndWait("stuck", "start", null)));
        double seconds = (System.nanoTime() - asked) / 1e9;
        FsmTransitionException e = (FsmTransitionException) failed.getCause();
        assertEquals(FsmError.Stage.PERSIST, e.error().stage(), e.getMessage());
        assertTrue(e.getMessage().contains("in doubt") && e.getMessage().contains("refused (a test)"),
                e.getMessage());
        assertTrue(seconds < 30, "answered by the watch, not by a timeout: " + seconds + " s");
        // the write is still in flight: a call made now does not wait behind it in the FSM's stash
        CompletionException again = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> await(FSMS.transitionAndWait("stuck", "start", null)));
        assertTrue(again.getCause().getMessage().contains("unavailable"), again.getCause().getMessage());
        // the journal took the write after all: once it is back, the FSM says so
        StallingJournal.unreachable(false);
        StallingJournal.release();
        eventually(() -> { // refused at once until the node sees the journal back and the write completes
            try {
                return await(FSMS.state("stuck")).map(s -> s.current().equals("working")).orElse(false);
            } catch (CompletionException notYet) {
                return false;
            }
        });
    }

    @Test
    void aSlowWriteToAStoreThatAnswersIsOnlySlow() {
        eventually(() -> { // after the other test's outage: the node sees its journal back
            try {
                await(FSMS.start("slow", new Counter(0)));
                return await(FSMS.transitionAndWait("slow", "start", null)).current().equals("working");
            } catch (CompletionException stillDown) {
                return false;
            }
        });
        StallingJournal.stall();
        int checks = StallingJournal.checks();
        CompletionStage<FsmState<Counter>> work = FSMS.transitionAndWait("slow", "work", null);
        eventually(() -> StallingJournal.checks() >= checks + 2); // checked twice, found reachable twice
        assertTrue(!work.toCompletableFuture().isDone(), "still waiting for its write");
        StallingJournal.release();
        assertEquals("working", await(work).current());
        assertEquals(new Counter(1), await(work).payload());
    }

    @Test
    void aFailedWriteWhileOnlyThePoolIsSlowIsNoOutage() {
        eventually(() -> { // after another test's outage: the node sees its journal back
            try {
                await(FSMS.start("pooled", new Counter(0)));
                await(FSMS.start("other", new Counter(0)));
                return true;
            } catch (CompletionException stillDown) {
                return false;
            }
        });
        // the database takes connections, but the journal's question waits (for a pool connection, say): a write that
        // failed makes the node probe, the probe's question gets no answer in time, and the store's own check passes
        int checks = StallingJournal.checks();
        StallingJournal.stallReads(true);
        StallingJournal.failNextWrite();
        CompletionException failed = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> await(FSMS.transitionAndWait("pooled", "start", null)));
        assertTrue(failed.getCause().getMessage().contains("failed to write"), failed.getCause().getMessage());
        eventually(() -> StallingJournal.checks() >= checks + 2); // the probe's own check, and the recheck
        // no outage was declared: another FSM writes while the reads are still held
        assertEquals("working", await(FSMS.transitionAndWait("other", "start", null)).current());
        StallingJournal.stallReads(false);
    }

    private static void eventually(java.util.function.BooleanSupplier check) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within 30 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
