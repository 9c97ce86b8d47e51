package dev.finitomata.persistence.file.internal;

import dev.finitomata.persistence.file.internal.RecordFormat.StoredEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The file journal's storage: append-only segments, an in-memory index, group commit, recovery and
 * compaction. Knows bytes, not Pekko.
 *
 * <p>Design: one writer thread owns appends. Callers enqueue operations and get a future; the writer drains
 * everything queued, writes it with one gathering write, forces it to disk once ({@code fsync = always}), then
 * indexes it and completes the futures, so acknowledged means on disk and the cost of one fsync is shared by all
 * writes that arrived while the previous one ran. Reads take the read lock; the writer takes the write lock only to
 * update the index. Compaction runs on its own thread: it copies the live records of a sealed segment to a new
 * generation file, forces it, renames it into place, then swaps it in under the write lock and deletes the old
 * file, so neither writers nor a crash at any point lose data. At startup every segment is scanned: a torn or
 * corrupt tail of the last segment is truncated (logged with its offset); corruption anywhere else is an error.
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

    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);
    private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{8})-(\\d{4})\\.log");
    private static final int MAX_BATCH = 4096;

    private final Path dir;
    private final Settings settings;
    private final DirectoryLock lock;
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Map<String, PidIndex> index = new HashMap<>();
    private final TreeMap<Integer, Segment> segments = new TreeMap<>();
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private Segment active;

    /** One segment file; {@code size} and {@code dead} are guarded by the lock. */
    private static final class Segment {
        final int id;
        final int generation;
        final Path path;
        final FileChannel channel;
        long size;
        long dead;

        Segment(int id, int generation, Path path, FileChannel channel, long size) {
            this.id = id;
            this.generation = generation;
            this.path = path;
            this.channel = channel;
            this.size = size;
        }
    }

    private sealed interface Op {
        CompletableFuture<Void> done();
    }

    private record Append(String pid, List<StoredEvent> events, ByteBuffer record, CompletableFuture<Void> done)
            implements Op {
    }

    private record Delete(String pid, long toSequenceNr, CompletableFuture<Void> done) implements Op {
    }

    private FileStore(Path dir, Settings settings) throws IOException {
        this.dir = dir;
        this.settings = settings;
        this.lock = DirectoryLock.acquire(dir, settings.dirSetting());
        try {
            recover();
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        this.writer = Thread.ofPlatform().daemon().name("finitomata-file-journal-writer").start(this::writeLoop);
    }

    /** Opens (creating if needed) the store in {@code dir}, recovering what is there. */
    public static FileStore open(Path dir, Settings settings) throws IOException {
        return new FileStore(dir, settings);
    }

    // ---- API ----

    /** Appends the events of one atomic write; completes once durable (per the fsync setting) and indexed. */
    public CompletableFuture<Void> append(String pid, List<StoredEvent> events) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Append(pid, events, RecordFormat.events(pid, events), done));
        return done;
    }

    /** Deletes the events of {@code pid} up to {@code toSequenceNr}; completes once the marker is durable. */
    public CompletableFuture<Void> delete(String pid, long toSequenceNr) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Delete(pid, toSequenceNr, done));
        return done;
    }

    private void enqueue(Op op) {
        if (closed) {
            op.done().completeExceptionally(new IllegalStateException("file journal in " + dir + " is closed"));
        } else {
            queue.add(op);
        }
    }

    /** The live events of {@code pid} with {@code from <= seq <= to}, at most {@code max}, in order. */
    public List<StoredEvent> read(String pid, long from, long to, long max) throws IOException {
        rw.readLock().lock();
        try {
            PidIndex idx = index.get(pid);
            if (idx == null || max <= 0) {
                return List.of();
            }
            List<StoredEvent> found = new ArrayList<>();
            long lastOffset = -1;
            int lastSegment = -1;
            List<StoredEvent> record = List.of();
            for (PidIndex.Location at : idx.range(from, to, max)) {
                if (at.offset() != lastOffset || at.segment() != lastSegment) {
                    record = readEvents(segments.get(at.segment()), at.offset(), at.length());
                    lastOffset = at.offset();
                    lastSegment = at.segment();
                }
                for (StoredEvent e : record) {
                    if (e.sequenceNr() == at.sequenceNr()) {
                        found.add(e);
                    }
                }
            }
            return found;
        } finally {
            rw.readLock().unlock();
        }
    }

    /** The highest sequence number ever written for {@code pid} (kept after deletions); 0 if none. */
    public long highest(String pid) {
        rw.readLock().lock();
        try {
            PidIndex idx = index.get(pid);
            return idx == null ? 0 : idx.highest;
        } finally {
            rw.readLock().unlock();
        }
    }

    /** Bytes in all segment files. */
    public long bytesOnDisk() {
        rw.readLock().lock();
        try {
            return segments.values().stream().mapToLong(s -> s.size).sum();
        } finally {
            rw.readLock().unlock();
        }
    }

    /** Rewrites every sealed segment whose live ratio is below the threshold; answers how many were compacted. */
    public int compact() throws IOException {
        List<Segment> candidates = new ArrayList<>();
        rw.readLock().lock();
        try {
            for (Segment s : segments.values()) {
                if (s != active && s.size > 0 && (s.size - s.dead) < settings.compactBelowLiveRatio() * s.size) {
                    candidates.add(s);
                }
            }
        } finally {
            rw.readLock().unlock();
        }
        for (Segment s : candidates) {
            compact(s);
        }
        return candidates.size();
    }

    /** Seals the active segment and starts a new one (compaction only touches sealed segments). */
    public void roll() throws IOException {
        CompletableFuture<Void> rolled = new CompletableFuture<>();
        // a roll is an append of nothing handled by the writer, so it is ordered with the writes
        queue.add(new Append(null, List.of(), null, rolled));
        rolled.join();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        writer.interrupt();
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rw.writeLock().lock();
        try {
            for (Segment s : segments.values()) {
                if (s.channel.isOpen()) {
                    s.channel.force(true);
                    s.channel.close();
                }
            }
        } finally {
            rw.writeLock().unlock();
            lock.close();
        }
    }

    // ---- writing ----

    private void writeLoop() {
        List<Op> batch = new ArrayList<>();
        long lastForce = System.nanoTime();
        boolean dirty = false;
        while (!closed || !queue.isEmpty()) {
            try {
                Op first = queue.poll(settings.fsync() == Fsync.INTERVAL ? settings.fsyncInterval().toMillis() : 1000,
                        TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (dirty) {
                        active.channel.force(false);
                        dirty = false;
                        lastForce = System.nanoTime();
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH);
                writeBatch(batch);
                dirty = settings.fsync() == Fsync.INTERVAL;
                if (dirty && System.nanoTime() - lastForce > settings.fsyncInterval().toNanos()) {
                    active.channel.force(false);
                    dirty = false;
                    lastForce = System.nanoTime();
                }
            } catch (InterruptedException e) {
                if (!closed) {
                    LOG.warn("file journal writer interrupted");
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("file journal in {}: write failed: {}", dir, e.toString());
                batch.forEach(op -> op.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        queue.forEach(op -> op.done().completeExceptionally(new IllegalStateException("file journal closed")));
    }

    private void writeBatch(List<Op> batch) throws IOException {
        boolean roll = false;
        List<ByteBuffer> buffers = new ArrayList<>(batch.size());
        List<Op> written = new ArrayList<>(batch.size());
        List<Long> offsets = new ArrayList<>(batch.size());
        long position = active.size;
        for (Op op : batch) {
            ByteBuffer record;
            if (op instanceof Append a) {
                if (a.pid() == null) {
                    roll = true;
                    continue;
                }
                record = a.record();
            } else {
                Delete d = (Delete) op;
                record = RecordFormat.delete(d.pid(), d.toSequenceNr(), highest(d.pid()));
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
            if (settings.fsync() == Fsync.ALWAYS && !written.isEmpty()) {
                active.channel.force(false);
            }
        } catch (IOException e) {
            active.channel.truncate(start);
            throw e;
        }
        rw.writeLock().lock();
        try {
            active.size = position;
            for (int i = 0; i < written.size(); i++) {
                apply(written.get(i), active, offsets.get(i));
            }
        } finally {
            rw.writeLock().unlock();
        }
        if (roll || active.size >= settings.segmentBytes()) {
            rollActive();
        }
        batch.forEach(op -> op.done().complete(null));
    }

    private void apply(Op op, Segment segment, long offset) {
        switch (op) {
            case Append a -> {
                PidIndex idx = index.computeIfAbsent(a.pid(), p -> new PidIndex());
                int length = a.record().limit();
                for (StoredEvent e : a.events()) {
                    idx.add(e.sequenceNr(), segment.id, offset, length);
                }
            }
            case Delete d -> applyDelete(d.pid(), d.toSequenceNr(), 0);
        }
    }

    private void applyDelete(String pid, long toSequenceNr, long highest) {
        PidIndex idx = index.computeIfAbsent(pid, p -> new PidIndex());
        idx.highest = Math.max(idx.highest, highest);
        idx.deleteTo(toSequenceNr, (segment, length) -> {
            Segment s = segments.get(segment);
            if (s != null) {
                s.dead += length;
            }
        });
    }

    private void rollActive() throws IOException {
        active.channel.force(true);
        Segment next = createSegment(active.id + 1, 0);
        rw.writeLock().lock();
        try {
            segments.put(next.id, next);
            active = next;
        } finally {
            rw.writeLock().unlock();
        }
    }

    private Segment createSegment(int id, int generation) throws IOException {
        Path path = dir.resolve(segmentName(id, generation));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        syncDirectory();
        return new Segment(id, generation, path, channel, channel.size());
    }

    private static String segmentName(int id, int generation) {
        return String.format("segment-%08d-%04d.log", id, generation);
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    // ---- reading ----

    private List<StoredEvent> readEvents(Segment segment, long offset, int length) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(length);
        while (record.hasRemaining()) {
            if (segment.channel.read(record, offset + record.position()) < 0) {
                throw new IOException("unexpected end of " + segment.path + " at offset " + offset);
            }
        }
        record.flip();
        int bodyLength = record.getInt();
        int crc = record.getInt();
        if (bodyLength != length - RecordFormat.HEADER_BYTES || RecordFormat.crc(record.duplicate()) != crc) {
            throw new IOException("corrupt record in " + segment.path + " at offset " + offset);
        }
        return ((RecordFormat.Events) RecordFormat.decode(record)).events();
    }

    // ---- recovery ----

    private void recover() throws IOException {
        Map<Integer, List<Path>> byId = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.delete(file);
                    continue;
                }
                Matcher m = SEGMENT.matcher(name);
                if (m.matches()) {
                    byId.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>()).add(file);
                }
            }
        }
        List<Integer> ids = new ArrayList<>(byId.keySet());
        for (int i = 0; i < ids.size(); i++) {
            List<Path> generations = byId.get(ids.get(i));
            generations.sort(Path::compareTo);
            Path newest = generations.get(generations.size() - 1);
            for (Path older : generations.subList(0, generations.size() - 1)) {
                Files.delete(older);
            }
            Matcher m = SEGMENT.matcher(newest.getFileName().toString());
            m.matches();
            Segment segment = new Segment(ids.get(i), Integer.parseInt(m.group(2)), newest,
                    FileChannel.open(newest, StandardOpenOption.READ, StandardOpenOption.WRITE), 0);
            segments.put(segment.id, segment);
            scan(segment, i == ids.size() - 1);
        }
        active = segments.isEmpty() ? createSegment(1, 0) : segments.lastEntry().getValue();
        segments.put(active.id, active);
    }

    private void scan(Segment segment, boolean last) throws IOException {
        long fileSize = segment.channel.size();
        long offset = 0;
        ByteBuffer header = ByteBuffer.allocate(RecordFormat.HEADER_BYTES);
        while (offset < fileSize) {
            String problem = null;
            ByteBuffer body = null;
            if (fileSize - offset < RecordFormat.HEADER_BYTES) {
                problem = "partial record header";
            } else {
                header.clear();
                readFully(segment.channel, header, offset);
                header.flip();
                int length = header.getInt();
                int crc = header.getInt();
                if (length <= 0 || length > RecordFormat.MAX_RECORD_BYTES
                        || offset + RecordFormat.HEADER_BYTES + length > fileSize) {
                    problem = "partial or invalid record (length " + length + ")";
                } else {
                    body = ByteBuffer.allocate(length);
                    readFully(segment.channel, body, offset + RecordFormat.HEADER_BYTES);
                    body.flip();
                    if (RecordFormat.crc(body.duplicate()) != crc) {
                        problem = "checksum mismatch";
                    }
                }
            }
            if (problem != null) {
                long valid = validRecordAfter(segment.channel, offset + 1, fileSize);
                if (valid >= 0) {
                    throw new IOException("corrupt record in " + segment.path + " at byte offset " + offset + " ("
                            + problem + "), followed by a valid record at offset " + valid + ": refusing to skip "
                            + "acknowledged data; restore the file, or truncate it at offset " + offset
                            + " to give up everything from there on");
                }
                if (!last) {
                    throw new IOException("corrupt record in " + segment.path + " at byte offset " + offset + " ("
                            + problem + "), which is not the last segment: restore the file or truncate it there");
                }
                LOG.warn("file journal: truncating torn tail of {} at byte offset {} ({}; {} bytes dropped)",
                        segment.path, offset, problem, fileSize - offset);
                segment.channel.truncate(offset);
                segment.channel.force(true);
                break;
            }
            int length = body.limit();
            RecordFormat.Body decoded = RecordFormat.decode(body);
            switch (decoded) {
                case RecordFormat.Events e -> {
                    PidIndex idx = index.computeIfAbsent(e.persistenceId(), p -> new PidIndex());
                    for (StoredEvent event : e.events()) {
                        idx.add(event.sequenceNr(), segment.id, offset, RecordFormat.HEADER_BYTES + length);
                    }
                }
                case RecordFormat.Delete d -> applyDelete(d.persistenceId(), d.toSequenceNr(), d.highest());
            }
            offset += RecordFormat.HEADER_BYTES + length;
        }
        segment.size = offset;
    }

    /** The offset of the first intact record (plausible length, matching checksum) at or after {@code from}, or -1. */
    private static long validRecordAfter(FileChannel channel, long from, long fileSize) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(RecordFormat.HEADER_BYTES);
        for (long at = from; at + RecordFormat.HEADER_BYTES < fileSize; at++) {
            header.clear();
            readFully(channel, header, at);
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            if (length > 0 && length <= RecordFormat.MAX_RECORD_BYTES
                    && at + RecordFormat.HEADER_BYTES + length <= fileSize) {
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(channel, body, at + RecordFormat.HEADER_BYTES);
                body.flip();
                if (RecordFormat.crc(body) == crc) {
                    return at;
                }
            }
        }
        return -1;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at " + position);
            }
        }
    }

    // ---- compaction ----

    private void compact(Segment old) throws IOException {
        Path tmp = dir.resolve(segmentName(old.id, old.generation + 1) + ".tmp");
        Map<String, Map<Long, Long>> moved = new HashMap<>();
        long newSize = 0;
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long offset = 0;
            ByteBuffer header = ByteBuffer.allocate(RecordFormat.HEADER_BYTES);
            while (offset < old.size) {
                header.clear();
                readFully(old.channel, header, offset);
                header.flip();
                int length = header.getInt();
                ByteBuffer record = ByteBuffer.allocate(RecordFormat.HEADER_BYTES + length);
                readFully(old.channel, record, offset);
                record.flip();
                RecordFormat.Body body = RecordFormat.decode(record.duplicate().position(RecordFormat.HEADER_BYTES));
                if (live(body, old.id, offset)) {
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
        Path target = dir.resolve(segmentName(old.id, old.generation + 1));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        Segment fresh = new Segment(old.id, old.generation + 1, target,
                FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE), newSize);
        rw.writeLock().lock();
        try {
            moved.forEach((pid, offsets) -> {
                PidIndex idx = index.get(pid);
                if (idx != null) {
                    idx.relocate(old.id, offsets);
                }
            });
            segments.put(old.id, fresh);
            old.channel.close();
        } finally {
            rw.writeLock().unlock();
        }
        Files.delete(old.path);
        syncDirectory();
        LOG.debug("compacted {}: {} -> {} bytes", old.path, old.size, newSize);
    }

    private boolean live(RecordFormat.Body body, int segment, long offset) {
        if (body instanceof RecordFormat.Delete) {
            return true;
        }
        rw.readLock().lock();
        try {
            PidIndex idx = index.get(body.persistenceId());
            return idx != null && idx.holds(segment, offset);
        } finally {
            rw.readLock().unlock();
        }
    }
}
