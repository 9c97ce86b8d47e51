package dev.finitomata.persistence.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Frees the space of deleted events: a sealed segment whose live ratio fell below the threshold is
 * copied, live records only, to its next generation ({@code .tmp}, forced, renamed into place), swapped in under the
 * index's write lock, and the old file deleted. Writers go on meanwhile, and a crash at any point loses nothing (at the
 * next open the newest generation wins and a {@code .tmp} is removed).
 *
 * <p>One compaction runs at a time per store: every journal plugin that shares the store schedules it, and two
 * compactions of one segment would write the same {@code .tmp} file. {@link #close()} waits for a running one.
 */
final class Compactor {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final Path dir;
    private final StoreIndex index;
    private final double liveRatio;
    private final ReentrantLock running = new ReentrantLock();
    private boolean closed;

    Compactor(Path dir, StoreIndex index, double liveRatio) {
        this.dir = dir;
        this.index = index;
        this.liveRatio = liveRatio;
    }

    /** Compacts every sealed segment below the live ratio, after any compaction already running; answers how many. */
    int compact() throws IOException {
        running.lock();
        try {
            if (closed) {
                return 0;
            }
            List<Segment> candidates = index.compactable(liveRatio);
            for (Segment s : candidates) {
                compact(s);
            }
            return candidates.size();
        } finally {
            running.unlock();
        }
    }

    /** Waits for a running compaction to end; later calls compact nothing. */
    void close() {
        running.lock();
        try {
            closed = true;
        } finally {
            running.unlock();
        }
    }

    private void compact(Segment old) throws IOException {
        Path tmp = dir.resolve(Segment.name(old.id, old.generation + 1) + ".tmp");
        Map<String, Map<Long, Long>> moved = new HashMap<>();
        long newSize = 0;
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long offset = 0;
            ByteBuffer header = ByteBuffer.allocate(RecordFormat.HEADER_BYTES);
            while (offset < old.size) {
                header.clear();
                Segment.readFully(old.channel, header, offset);
                header.flip();
                int length = header.getInt();
                ByteBuffer record = ByteBuffer.allocate(RecordFormat.HEADER_BYTES + length);
                Segment.readFully(old.channel, record, offset);
                record.flip();
                RecordFormat.Body body = RecordFormat.decodeIndex(record.duplicate().position(RecordFormat.HEADER_BYTES));
                if (index.live(body, old.id, offset)) {
                    moved.computeIfAbsent(body.persistenceId(), p -> new HashMap<>()).put(offset, newSize);
                    while (record.hasRemaining()) {
                        out.write(record);
                    }
                    newSize += RecordFormat.HEADER_BYTES + length;
                }
                offset += RecordFormat.HEADER_BYTES + length;
            }
            out.force(true);
        }
        Path target = dir.resolve(Segment.name(old.id, old.generation + 1));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        Segment.syncDirectory(dir);
        index.swap(old, Segment.open(target, old.id, old.generation + 1, newSize), moved);
        Files.delete(old.path);
        Segment.syncDirectory(dir);
        LOG.debug("compacted {}: {} -> {} bytes", old.path, old.size, newSize);
    }
}
