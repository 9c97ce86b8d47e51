package dev.finitomata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.junit.jupiter.api.Test;
import scala.concurrent.Future;

/**
 * A misconfigured store fails fast, saying which key and why: a plugin id that names nothing fails {@code create};
 * a plugin that cannot start fails the first call within a second (not after the ask timeout), and so does the next.
 */
class StoreCheckTest {

    /** A journal that cannot start, as one with wrong settings (a JDBC URL missing, a directory locked). */
    public static final class BrokenJournal extends AsyncWriteJournal {
        public BrokenJournal() {
            throw new IllegalStateException("broken on purpose: jdbcUrl is required");
        }

        @Override
        public Future<Iterable<java.util.Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr,
                                                  long max, Consumer<PersistentRepr> replayCallback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
            throw new UnsupportedOperationException();
        }
    }

    /** A journal that starts but never answers, as one still opening a large store. */
    public static final class SilentJournal extends AsyncWriteJournal {
        @Override
        public Future<Iterable<java.util.Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
            return scala.concurrent.Promise.<Iterable<java.util.Optional<Exception>>>apply().future();
        }

        @Override
        public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
            return scala.concurrent.Promise.<Void>apply().future();
        }

        @Override
        public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr,
                                                  long max, Consumer<PersistentRepr> replayCallback) {
            return scala.concurrent.Promise.<Void>apply().future();
        }

        @Override
        public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
            return scala.concurrent.Promise.<Long>apply().future();
        }
    }

    private static ActorTestKit system(String settings) {
        Config config = ConfigFactory.parseString(settings + """

                pekko.loglevel = OFF
                pekko.persistence.journal.inmem.test-serialization = on
                broken-journal.class = "dev.finitomata.StoreCheckTest$BrokenJournal"
                silent-journal.class = "dev.finitomata.StoreCheckTest$SilentJournal"
                """).withFallback(ConfigFactory.load());
        return ActorTestKit.create("store-check", config);
    }

    private static void refusedAtCreate(String settings, String... says) {
        ActorTestKit kit = system(settings);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Finitomata.create(kit.system(), "orders", RecordingFsm.class, RecordingFsm::new));
            for (String s : says) {
                assertTrue(e.getMessage().contains(s), "'" + s + "' in: " + e.getMessage());
            }
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void aSnapshotStoreOrReadJournalThatNamesNothingFailsCreate() {
        refusedAtCreate("""
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.lokal"
                """, "the snapshot store plugin 'pekko.persistence.snapshot-store.lokal'",
                "(from pekko.persistence.snapshot-store.plugin) is not configured");
        refusedAtCreate("""
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                finitomata.snapshot-plugin = "nope"
                """, "the snapshot store plugin 'nope' (from finitomata.snapshot-plugin)");
        refusedAtCreate("""
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                finitomata.read-journal-plugin = "jdbc-read-journall"
                """, "the read journal plugin 'jdbc-read-journall' (from finitomata.read-journal-plugin)");
    }

    /** The time a call took to fail, and its failure. */
    private record Failed(long millis, Throwable failure) {
    }

    private static Failed fails(CompletionStage<?> call, long started) throws Exception {
        try {
            call.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return new Failed((System.nanoTime() - started) / 1_000_000, e.getCause());
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void aJournalThatCannotStartFailsTheFirstCallsAtOnceSayingWhy() throws Exception {
        ActorTestKit kit = system("finitomata.journal-plugin = \"broken-journal\"");
        try {
            StoreChecks.firstStartFailsAtOnce(kit.system(), "'orders': the journal 'broken-journal' (from "
                    + "finitomata.journal-plugin) does not work", "broken on purpose: jdbcUrl is required");
            Finitomata<Counter> orders = Finitomata.create(kit.system(), "more-orders", RecordingFsm.class,
                    RecordingFsm::new);
            long again = System.nanoTime();
            Failed second = fails(orders.transitionAndWait("order-1", "start", null), again);
            assertTrue(second.millis() < 1_000, "the next call failed after " + second.millis() + " ms");
            assertTrue(second.failure().getMessage().contains("the journal 'broken-journal' (from "
                    + "finitomata.journal-plugin) does not work"), second.failure().getMessage());
            long dropped = orders.droppedEvents();
            orders.transition("order-1", "start", null); // checked again, refused: dropped and counted
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (orders.droppedEvents() == dropped && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(dropped + 1, orders.droppedEvents());
        } finally {
            kit.shutdownTestKit();
        }
    }

    /**
     * A plugin may set how long its check waits ({@code <plugin>.finitomata-check-timeout}; the file journal sets
     * 120 s, as it indexes its directory before it answers), and the failure names the key that set it.
     */
    @Test
    void aPluginsOwnCheckTimeoutWinsOverTheGlobalOne() throws Exception {
        ActorTestKit kit = system("""
                finitomata.journal-plugin = "silent-journal"
                finitomata.plugin-check-timeout = 60s
                silent-journal.finitomata-check-timeout = 300ms
                """);
        try {
            Finitomata<Counter> orders = Finitomata.create(kit.system(), "orders", RecordingFsm.class,
                    RecordingFsm::new);
            long started = System.nanoTime();
            Failed first = fails(orders.start("order-1", new Counter(0)), started);
            assertTrue(first.millis() < 10_000, "failed after " + first.millis() + " ms, not the global 60 s");
            assertTrue(first.failure().getMessage().contains("did not answer within 300 ms "
                    + "(silent-journal.finitomata-check-timeout"), first.failure().getMessage());
        } finally {
            kit.shutdownTestKit();
        }
    }
}
