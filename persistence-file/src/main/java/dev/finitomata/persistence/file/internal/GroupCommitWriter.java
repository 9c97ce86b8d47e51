package dev.finitomata.persistence.file.internal;

import dev.finitomata.persistence.file.internal.RecordFormat.StoredEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The one thread that appends to a {@link FileStore}, with group commit.
 *
 * <p>Design: callers enqueue operations and get a future; the writer drains everything queued, writes it with one
 * gathering write, forces it to disk once ({@code fsync = always}), then indexes it and completes the futures, so
 * acknowledged means on disk and the cost of one fsync is shared by all writes that arrived while the previous one
 * ran. A failed write or force fails its batch only (the segment is truncated back to where the batch began); the
 * writer goes on with the next one.
 *
 * <p>Shutdown never interrupts the writer (an interrupt inside {@code FileChannel.write} or {@code force} closes the
 * channel): {@link #close()} enqueues a last operation behind everything accepted, and the writer writes and forces
 * all of it before it ends. Operations offered after that are refused at once.
 */
final class GroupCommitWriter {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 4096;

    sealed interface Op {
        CompletableFuture<Void> done();
    }

    /** One atomic write: its events, already framed as one record. */
    record Append(String pid, List<StoredEvent> events, ByteBuffer record, CompletableFuture<Void> done)
            implements Op {
    }

    /** A deletion marker for {@code pid} up to {@code toSequenceNr}. */
    record Delete(String pid, long toSequenceNr, CompletableFuture<Void> done) implements Op {
    }

    /** Seals the active segment after what was enqueued before it. */
    record Roll(CompletableFuture<Void> done) implements Op {
    }

    /** The last operation: everything before it is durable once it completes. */
    private record Close(CompletableFuture<Void> done) implements Op {
    }

    private final Path dir;
    private final StoreIndex index;
    private final FileStore.Settings settings;
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Guarded by {@code queue}'s monitor, so that nothing is enqueued behind {@link Close}. */
    private boolean closed;

    GroupCommitWriter(Path dir, StoreIndex index, FileStore.Settings settings) {
        this.dir = dir;
        this.index = index;
        this.settings = settings;
        this.thread = Thread.ofPlatform().daemon().name("finitomata-file-journal-writer").start(this::run);
    }

    /** Enqueues {@code op}; answers its future, failed at once if the store is closed. */
    CompletableFuture<Void> submit(Op op) {
        synchronized (queue) {
            if (closed) {
                op.done().completeExceptionally(new IllegalStateException("file journal in " + dir + " is closed"));
            } else {
                queue.add(op);
            }
        }
        return op.done();
    }

    /** Writes and forces everything accepted so far, then stops the writer. */
    void close() {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(new Close(drained));
        }
        drained.join();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Op> batch = new ArrayList<>();
        long lastForce = System.nanoTime();
        boolean dirty = false;
        long idleWait = settings.fsync() == FileStore.Fsync.INTERVAL ? settings.fsyncInterval().toMillis() : 1000;
        while (true) {
            Close close = null;
            try {
                Op first = queue.poll(idleWait, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (dirty) {
                        index.active().channel.force(false);
                        dirty = false;
                        lastForce = System.nanoTime();
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH);
                if (batch.get(batch.size() - 1) instanceof Close c) { // nothing is ever enqueued behind it
                    close = c;
                    batch.remove(batch.size() - 1);
                }
                write(batch);
                dirty = settings.fsync() == FileStore.Fsync.INTERVAL;
                if (dirty && (close != null || System.nanoTime() - lastForce > settings.fsyncInterval().toNanos())) {
                    index.active().channel.force(false);
                    dirty = false;
                    lastForce = System.nanoTime();
                }
            } catch (InterruptedException e) {
                LOG.warn("file journal writer interrupted; it goes on until the store is closed");
            } catch (IOException | RuntimeException e) {
                LOG.error("file journal in {}: write failed: {}", dir, e.toString());
                batch.forEach(op -> op.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
            if (close != null) {
                close.done().complete(null);
                return;
            }
        }
    }

    private void write(List<Op> batch) throws IOException {
        Segment active = index.active();
        boolean roll = false;
        List<ByteBuffer> buffers = new ArrayList<>(batch.size());
        List<Op> written = new ArrayList<>(batch.size());
        List<Long> offsets = new ArrayList<>(batch.size());
        long position = active.size;
        for (Op op : batch) {
            ByteBuffer record;
            switch (op) {
                case Append a -> record = a.record();
                case Delete d -> record = RecordFormat.delete(d.pid(), d.toSequenceNr(), index.highest(d.pid()));
                case Roll r -> {
                    roll = true;
                    continue;
                }
                case Close c -> throw new IllegalStateException("close is handled by the loop");
            }
            buffers.add(record);
            written.add(op);
            offsets.add(position);
            position += record.remaining();
        }
        long start = active.size;
        try {
            ByteBuffer[] all = buffers.toArray(ByteBuffer[]::new);
            long remaining = position - start;
            active.channel.position(start);
            while (remaining > 0) {
                remaining -= active.channel.write(all);
            }
            if (settings.fsync() == FileStore.Fsync.ALWAYS && !written.isEmpty()) {
                active.channel.force(false);
            }
        } catch (IOException e) {
            active.channel.truncate(start);
            throw e;
        }
        long size = position;
        index.update(() -> {
            active.size = size;
            for (int i = 0; i < written.size(); i++) {
                switch (written.get(i)) {
                    case Append a -> index.addEvents(a.pid(), a.events(), active.id, offsets.get(i),
                            a.record().limit());
                    case Delete d -> index.deleteTo(d.pid(), d.toSequenceNr(), 0);
                    default -> throw new IllegalStateException("not written: " + written.get(i));
                }
            }
        });
        if (roll || active.size >= settings.segmentBytes()) {
            active.channel.force(true);
            index.activate(Segment.create(dir, active.id + 1, 0));
        }
        batch.forEach(op -> op.done().complete(null));
    }
}
