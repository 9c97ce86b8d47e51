package dev.finitomata.persistence.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.finitomata.persistence.file.internal.FileStore;
import dev.finitomata.persistence.file.internal.RecordFormat.Blob;
import dev.finitomata.persistence.file.internal.RecordFormat.StoredEvent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage engine directly: restart, torn tails, corruption, deletes, compaction, locking. */
class FileStoreTest {

    static final FileStore.Settings SETTINGS = new FileStore.Settings(1 << 20, FileStore.Fsync.ALWAYS,
            Duration.ofMillis(10), 0.5, "dir");

    @TempDir
    Path dir;

    static StoredEvent event(long seq) {
        return new StoredEvent(seq, 0, "w", "", new Blob(1, "", ("event-" + seq).getBytes(StandardCharsets.UTF_8)),
                null);
    }

    static List<Long> seqs(FileStore store, String pid) throws IOException {
        return store.read(pid, 0, Long.MAX_VALUE, Long.MAX_VALUE).stream().map(StoredEvent::sequenceNr).toList();
    }

    static void write(FileStore store, String pid, long from, long to) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            acks.add(store.append(pid, List.of(event(s))));
        }
        acks.forEach(CompletableFuture::join);
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).findFirst().orElseThrow();
        }
    }

    @Test
    void everythingReplaysAfterARestart() throws IOException {
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            write(store, "a", 1, 100);
            store.append("b", List.of(event(1), event(2), event(3))).join();
        }
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), seqs(store, "a"));
            assertEquals(List.of(1L, 2L, 3L), seqs(store, "b"));
            assertEquals(new String(store.read("a", 7, 7, 1).get(0).payload().bytes(), StandardCharsets.UTF_8),
                    "event-7");
            assertEquals(100, store.highest("a"));
        }
    }

    /**
     * Opening reads each segment through a window of 4 MiB: records that straddle its edges, and one larger than the
     * window, come back whole, and a torn tail behind them is still cut off.
     */
    @Test
    void recordsAcrossTheOpeningsReadWindowAndLargerThanItReplayWhole() throws IOException {
        FileStore.Settings oneSegment = new FileStore.Settings(64 << 20, FileStore.Fsync.ALWAYS, Duration.ofMillis(10),
                0.5, "dir");
        List<byte[]> payloads = new ArrayList<>();
        try (FileStore store = FileStore.open(dir, oneSegment)) {
            for (int i = 0; i < 1_200; i++) {
                byte[] bytes = new byte[i == 600 ? 5 << 20 : 10_007 + i];
                java.util.Arrays.fill(bytes, (byte) i);
                payloads.add(bytes);
                store.append("big", List.of(new StoredEvent(i + 1, 0, "w", "", new Blob(1, "", bytes), null)))
                        .join();
            }
            store.append("big", List.of(event(1_201))).join();
        }
        Path segment = onlySegment();
        assertTrue(Files.size(segment) > 3 * (4 << 20), "the segment spans several windows");
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(segment) - 3); // the last record torn
        }
        try (FileStore store = FileStore.open(dir, oneSegment)) {
            List<StoredEvent> events = store.read("big", 0, Long.MAX_VALUE, Long.MAX_VALUE);
            assertEquals(1_200, events.size());
            for (int i = 0; i < events.size(); i++) {
                assertEquals(i + 1, events.get(i).sequenceNr());
                assertTrue(java.util.Arrays.equals(payloads.get(i), events.get(i).payload().bytes()), "event " + i);
            }
            store.append("big", List.of(event(1_201))).join(); // written where the torn record was
        }
        try (FileStore store = FileStore.open(dir, oneSegment)) {
            assertEquals(1_201, seqs(store, "big").size());
            assertEquals("event-1201", new String(store.read("big", 1_201, 1_201, 1).get(0).payload().bytes(),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void aTornTailIsTruncatedAndNothingBeforeItIsLost() throws IOException {
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            write(store, "a", 1, 10);
            store.append("a", List.of(event(11), event(12))).join();
        }
        Path segment = onlySegment();
        long size = Files.size(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(size - 5);
        }
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), seqs(store, "a"),
                    "the torn atomic write (11, 12) is gone whole, 1..10 are intact");
            store.append("a", List.of(event(11))).join();
        }
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            assertEquals(11, seqs(store, "a").size());
        }
    }

    @Test
    void aFlippedBitInTheMiddleIsAnErrorNamingFileAndOffset() throws IOException {
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            write(store, "a", 1, 10);
        }
        Path segment = onlySegment();
        byte[] bytes = Files.readAllBytes(segment);
        int middle = bytes.length / 2;
        bytes[middle] ^= 0x10;
        Files.write(segment, bytes);
        IOException e = assertThrows(IOException.class, () -> FileStore.open(dir, SETTINGS));
        assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*at byte offset \\d+.*"), e.getMessage());
    }

    @Test
    void deletesSurviveRestartsAndKeepTheHighestSequenceNr() throws IOException {
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            write(store, "a", 1, 5);
            store.delete("a", 3).join();
            assertEquals(List.of(4L, 5L), seqs(store, "a"));
            store.delete("a", Long.MAX_VALUE).join();
        }
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            assertEquals(List.of(), seqs(store, "a"));
            assertEquals(5, store.highest("a"));
        }
    }

    @Test
    void compactionUnderConcurrentWritesLosesNothing() throws Exception {
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            for (int pid = 0; pid < 20; pid++) {
                write(store, "old-" + pid, 1, 200);
            }
            for (int pid = 0; pid < 20; pid++) {
                store.delete("old-" + pid, pid % 2 == 0 ? 200 : 150).join();
            }
            store.roll();
            long before = store.bytesOnDisk();
            CompletableFuture<Void> writers = CompletableFuture.runAsync(() -> write(store, "new", 1, 3000));
            int compacted = store.compact();
            writers.join();
            assertTrue(compacted >= 1, "sealed segments below the live ratio are compacted");
            assertTrue(store.bytesOnDisk() < before + 3000 * 60, "dead records are gone from disk");
            assertEquals(LongStream.rangeClosed(1, 3000).boxed().toList(), seqs(store, "new"));
            for (int pid = 1; pid < 20; pid += 2) {
                assertEquals(LongStream.rangeClosed(151, 200).boxed().toList(), seqs(store, "old-" + pid));
            }
        }
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            assertEquals(3000, seqs(store, "new").size());
            assertEquals(50, seqs(store, "old-1").size());
            assertEquals(List.of(), seqs(store, "old-0"));
            assertEquals(200, store.highest("old-0"));
        }
    }

    @Test
    void aSecondStoreOnTheSameDirectoryFailsFast() throws IOException {
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> FileStore.open(dir, SETTINGS));
            assertTrue(e.getMessage().contains("already used by another Finitomata store"), e.getMessage());
            assertEquals(0, store.highest("any"), "the first store still works");
        }
    }

    @Test
    void groupCommitBatchesConcurrentWriters() throws IOException {
        try (FileStore store = FileStore.open(dir, SETTINGS)) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 1; i <= 2000; i++) {
                acks.add(store.append("p-" + (i % 100), List.of(event(i))));
            }
            acks.forEach(CompletableFuture::join);
            for (int p = 0; p < 100; p++) {
                assertEquals(20, seqs(store, "p-" + p).size());
            }
        }
    }

    @Test
    void compactionFreesTheDiskSpaceOfDeletedEvents() throws IOException {
        FileStore.Settings small = new FileStore.Settings(64 << 10, FileStore.Fsync.INTERVAL, Duration.ofMillis(5),
                0.5, "dir");
        try (FileStore store = FileStore.open(dir, small)) {
            for (int p = 0; p < 50; p++) {
                write(store, "p" + p, 1, 100);
            }
            long before = store.bytesOnDisk();
            for (int p = 0; p < 50; p++) {
                store.delete("p" + p, 90).join();
            }
            store.roll();
            assertTrue(store.compact() > 1);
            long after = store.bytesOnDisk();
            assertTrue(after < before / 4, "after compaction " + after + " bytes of " + before + " remain");
            assertEquals(LongStream.rangeClosed(91, 100).boxed().toList(), seqs(store, "p7"));
        }
        try (FileStore store = FileStore.open(dir, small)) {
            assertEquals(LongStream.rangeClosed(91, 100).boxed().toList(), seqs(store, "p49"));
        }
    }
}
