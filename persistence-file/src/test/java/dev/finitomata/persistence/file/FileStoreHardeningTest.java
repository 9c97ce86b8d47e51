package dev.finitomata.persistence.file;

import static dev.finitomata.persistence.file.FileStoreTest.SETTINGS;
import static dev.finitomata.persistence.file.FileStoreTest.event;
import static dev.finitomata.persistence.file.FileStoreTest.seqs;
import static dev.finitomata.persistence.file.FileStoreTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.RecordingFsm;
import dev.finitomata.StartResult;
import dev.finitomata.persistence.file.internal.FileStore;
import dev.finitomata.persistence.file.internal.RecordFormat.Blob;
import dev.finitomata.persistence.file.internal.RecordFormat.StoredEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a failed, oversized or late write, a shutdown under load and concurrent compactions must not do to the file
 * journal: poison later writes, be acknowledged and then dropped at the next open, lose what was queued, hang, or
 * corrupt a segment.
 */
class FileStoreHardeningTest {

    @TempDir
    Path dir;

    private static Throwable failure(CompletableFuture<?> call) {
        CompletionException e = assertThrows(CompletionException.class, () -> call.orTimeout(10, TimeUnit.SECONDS)
                .join());
        return e.getCause();
    }

    @Test
    void oneFailedWriteFailsAloneAndLaterWritesGoOn() {
        ActorTestKit kit = ActorTestKit.create(FileConfigs.config(dir));
        try {
            Finitomata<Counter> fsms = Finitomata.create(kit.system(), "hardening", RecordingFsm.class,
                    RecordingFsm::new);
            String tooLong = "x".repeat(40_000); // its persistence id is longer than a record can name
            Throwable refused = failure(fsms.start(tooLong, new Counter(0)).toCompletableFuture());
            assertEquals(StartResult.STARTED, fsms.start("next", new Counter(0)).toCompletableFuture()
                    .orTimeout(10, TimeUnit.SECONDS).join(), "the writes after the failed one go on");
            assertEquals(1, fsms.transitionAndWait("next", "start", null).toCompletableFuture()
                    .thenCompose(s -> fsms.transitionAndWait("next", "work", null)).toCompletableFuture()
                    .orTimeout(10, TimeUnit.SECONDS).join().payload().value());
            String message = refused.getMessage().replace(tooLong, "<name>");
            assertTrue(refused instanceof FsmTransitionException, message);
            assertTrue(message.contains("persistence id") && message.contains("32,767"), message);
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void anOversizedRecordIsRejectedAtTheWriteAndNeverAcknowledged() throws Exception {
        byte[] huge = new byte[(64 << 20) + 1];
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            write(store, "a", 1, 3);
            Throwable refused = failure(store.append("a", List.of(new StoredEvent(4, 0, "w", "",
                    new Blob(1, "", huge), null))));
            assertTrue(refused instanceof IllegalArgumentException, refused.toString());
            assertTrue(refused.getMessage().contains("'a'") && refused.getMessage().contains("67,108,864"),
                    refused.getMessage());
            write(store, "a", 4, 5);
        }
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(store, "a"), "nothing acknowledged is lost at the open");
        }
    }

    @Test
    void anOversizedPersistenceIdIsRejectedAtTheWrite() throws Exception {
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            Throwable refused = failure(store.append("p".repeat(40_000), List.of(event(1))));
            assertTrue(refused instanceof IllegalArgumentException, refused.toString());
            assertTrue(refused.getMessage().contains("persistence id"), refused.getMessage());
            Throwable deleteRefused = failure(store.delete("p".repeat(40_000), 1));
            assertTrue(deleteRefused instanceof IllegalArgumentException, deleteRefused.toString());
            write(store, "b", 1, 2);
        }
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            assertEquals(List.of(1L, 2L), seqs(store, "b"));
        }
    }

    @Test
    void closeDrainsAndForcesEverythingQueuedBeforeIt() throws Exception {
        int n = 20_000;
        List<CompletableFuture<Void>> acks = new ArrayList<>(n);
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            for (int i = 1; i <= n; i++) {
                acks.add(store.append("p-" + (i % 50), List.of(event(i))));
            }
        } // close() right away, with most of them still queued
        for (CompletableFuture<Void> ack : acks) {
            ack.orTimeout(10, TimeUnit.SECONDS).join(); // every write queued before close() succeeded
        }
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            int total = 0;
            for (int p = 0; p < 50; p++) {
                total += seqs(store, "p-" + p).size();
            }
            assertEquals(n, total);
        }
    }

    @Test
    void callsAfterCloseFailAtOnce() throws Exception {
        FileStore store = FileStore.open(dir, SETTINGS);
        store.close();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThrows(IllegalStateException.class, store::roll);
            assertTrue(failure(store.append("a", List.of(event(1)))) instanceof IllegalStateException);
            assertTrue(failure(store.delete("a", 1)) instanceof IllegalStateException);
        });
    }

    @Test
    void compactionsOfOneStoreRunOneAtATime() throws Exception {
        FileStore.Settings small = new FileStore.Settings(16 << 10, FileStore.Fsync.ALWAYS, Duration.ofMillis(5),
                0.5, "dir");
        for (int round = 0; round < 3; round++) {
            try (FileStore store = FileStore.open(dir, small)) {
                String pid = "r" + round;
                for (int chunk = 0; chunk < 10; chunk++) { // ten sealed segments
                    write(store, pid, chunk * 300 + 1, chunk * 300 + 300);
                    store.roll();
                }
                store.delete(pid, 2900).join();
                CyclicBarrier together = new CyclicBarrier(3);
                List<CompletableFuture<Integer>> compactions = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    compactions.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            together.await();
                            return store.compact();
                        } catch (Exception e) {
                            throw new CompletionException(e);
                        }
                    }));
                }
                int compacted = 0;
                for (CompletableFuture<Integer> c : compactions) {
                    compacted += c.orTimeout(30, TimeUnit.SECONDS).join();
                }
                assertTrue(compacted > 1, "segments were compacted: " + compacted);
                assertEquals(LongStream.rangeClosed(2901, 3000).boxed().toList(), seqs(store, pid));
            }
            try (FileStore store = FileStore.open(dir, small)) {
                assertEquals(LongStream.rangeClosed(2901, 3000).boxed().toList(), seqs(store, "r" + round));
            }
        }
    }
}
