package dev.finitomata.persistence.file.internal;

import dev.finitomata.persistence.file.internal.RecordFormat.StoredEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * INTERNAL API. The file journal's storage: append-only segments in one directory, owned by one store per JVM (and
 * one process, by an OS lock). Knows bytes, not Pekko.
 *
 * <p>Design: a facade over four parts that each do one job: {@link SegmentRecovery} scans the directory when the store
 * opens; {@link StoreIndex} holds the segments and where each live event is; {@link GroupCommitWriter} is the one
 * thread that appends, forcing each batch once; {@link Compactor} rewrites segments that are mostly dead. A write that
 * cannot be stored (an oversized record or persistence id) is refused here, before it is queued, so that it fails
 * alone and is never acknowledged.
 */
public final class FileStore implements AutoCloseable {

    /** When a write counts as durable. */
    public enum Fsync {
        /** Every acknowledged write was forced to disk. */
        ALWAYS,
        /** Acknowledged once written to the OS; forced every interval (survives a process crash, not power loss). */
        INTERVAL
    }

    /** Tuning of a store. */
    public record Settings(long segmentBytes, Fsync fsync, Duration fsyncInterval, double compactBelowLiveRatio,
                           String dirSetting) {
    }

    private final DirectoryLock lock;
    private final StoreIndex index = new StoreIndex();
    private final GroupCommitWriter writer;
    private final Compactor compactor;
    private boolean closed;

    private FileStore(Path dir, Settings settings) throws IOException {
        this.lock = DirectoryLock.acquire(dir, settings.dirSetting());
        try {
            SegmentRecovery.recover(dir, index);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        this.writer = new GroupCommitWriter(dir, index, settings);
        this.compactor = new Compactor(dir, index, settings.compactBelowLiveRatio());
    }

    /** Opens (creating if needed) the store in {@code dir}, recovering what is there. */
    public static FileStore open(Path dir, Settings settings) throws IOException {
        return new FileStore(dir, settings);
    }

    /**
     * Appends the events of one atomic write; completes once durable (per the fsync setting) and indexed. Fails with
     * {@link IllegalArgumentException} if the write is too large to store, or {@link IllegalStateException} once
     * the store is closed.
     */
    public CompletableFuture<Void> append(String pid, List<StoredEvent> events) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            return writer.submit(new GroupCommitWriter.Append(pid, events, RecordFormat.events(pid, events), done));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Deletes the events of {@code pid} up to {@code toSequenceNr}; completes once the marker is durable. */
    public CompletableFuture<Void> delete(String pid, long toSequenceNr) {
        try {
            RecordFormat.checkPersistenceId(pid);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return writer.submit(new GroupCommitWriter.Delete(pid, toSequenceNr, new CompletableFuture<>()));
    }

    /** The live events of {@code pid} with {@code from <= seq <= to}, at most {@code max}, in order. */
    public List<StoredEvent> read(String pid, long from, long to, long max) throws IOException {
        return index.read(pid, from, to, max);
    }

    /** The persistence ids with live events, sorted. */
    public List<String> persistenceIds() {
        return index.persistenceIds();
    }

    /** The highest sequence number ever written for {@code pid} (kept after deletions); 0 if none. */
    public long highest(String pid) {
        return index.highest(pid);
    }

    /** Bytes in all segment files. */
    public long bytesOnDisk() {
        return index.bytesOnDisk();
    }

    /** Rewrites every sealed segment whose live ratio is below the threshold; answers how many were compacted. */
    public int compact() throws IOException {
        return compactor.compact();
    }

    /**
     * Seals the active segment and starts a new one (compaction only touches sealed segments), after the writes
     * enqueued before. @throws IllegalStateException if the store is closed
     */
    public void roll() {
        try {
            writer.submit(new GroupCommitWriter.Roll(new CompletableFuture<>())).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * Writes and forces everything accepted so far, waits for a running compaction, then closes the files and
     * releases the directory. Later writes fail at once.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
            compactor.close();
            index.forceAndClose();
        } finally {
            lock.close();
        }
    }
}
