package dev.finitomata.persistence.file.internal;

import dev.finitomata.persistence.file.internal.RecordFormat.StoredEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * INTERNAL API. What a {@link FileStore} knows in memory: its segments and, per persistence id, where each live event
 * is. Readers take the read lock; the writer takes the write lock only to index what it has made durable, and the
 * compactor only to swap a segment for its compacted generation.
 */
final class StoreIndex {

    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Map<String, PidIndex> index = new HashMap<>();
    private final TreeMap<Integer, Segment> segments = new TreeMap<>();
    /** The segment appends go to; replaced only by the writer (or by recovery, before the writer starts). */
    private volatile Segment active;

    Segment active() {
        return active;
    }

    /** The live events of {@code pid} with {@code from <= seq <= to}, at most {@code max}, in order. */
    List<StoredEvent> read(String pid, long from, long to, long max) throws IOException {
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
                    record = segments.get(at.segment()).readEvents(at.offset(), at.length());
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

    /** The persistence ids with live events, sorted. */
    List<String> persistenceIds() {
        rw.readLock().lock();
        try {
            return index.entrySet().stream().filter(e -> e.getValue().hasLive()).map(Map.Entry::getKey).sorted()
                    .toList();
        } finally {
            rw.readLock().unlock();
        }
    }

    long highest(String pid) {
        rw.readLock().lock();
        try {
            PidIndex idx = index.get(pid);
            return idx == null ? 0 : idx.highest;
        } finally {
            rw.readLock().unlock();
        }
    }

    long bytesOnDisk() {
        rw.readLock().lock();
        try {
            return segments.values().stream().mapToLong(s -> s.size).sum();
        } finally {
            rw.readLock().unlock();
        }
    }

    // ---- recovery (single-threaded, before the writer starts) and the writer (under the write lock) ----

    void addSegment(Segment segment) {
        segments.put(segment.id, segment);
    }

    /** Indexes the events of one record. */
    void addEvents(String pid, List<StoredEvent> events, int segment, long offset, int length) {
        PidIndex idx = index.computeIfAbsent(pid, p -> new PidIndex());
        for (StoredEvent e : events) {
            idx.add(e.sequenceNr(), segment, offset, length);
        }
    }

    /** The same for a record read back when the store opens: its events' sequence numbers. */
    void addEvents(String pid, long[] sequenceNrs, int segment, long offset, int length) {
        PidIndex idx = index.computeIfAbsent(pid, p -> new PidIndex());
        for (long sequenceNr : sequenceNrs) {
            idx.add(sequenceNr, segment, offset, length);
        }
    }

    /** Applies a deletion marker: the events up to {@code toSequenceNr} are gone, their records dead. */
    void deleteTo(String pid, long toSequenceNr, long highest) {
        PidIndex idx = index.computeIfAbsent(pid, p -> new PidIndex());
        idx.highest = Math.max(idx.highest, highest);
        idx.deleteTo(toSequenceNr, (segment, length) -> {
            Segment s = segments.get(segment);
            if (s != null) {
                s.dead += length;
            }
        });
    }

    /** Runs {@code change} (the writer's indexing of a durable batch) under the write lock. */
    void update(Runnable change) {
        rw.writeLock().lock();
        try {
            change.run();
        } finally {
            rw.writeLock().unlock();
        }
    }

    /** Makes {@code next} the segment appends go to (the previous one is sealed). */
    void activate(Segment next) {
        update(() -> {
            segments.put(next.id, next);
            active = next;
        });
    }

    // ---- compaction ----

    /** The sealed segments whose live bytes are below {@code liveRatio} of their size. */
    List<Segment> compactable(double liveRatio) {
        rw.readLock().lock();
        try {
            List<Segment> candidates = new ArrayList<>();
            for (Segment s : segments.values()) {
                if (s != active && s.size > 0 && (s.size - s.dead) < liveRatio * s.size) {
                    candidates.add(s);
                }
            }
            return candidates;
        } finally {
            rw.readLock().unlock();
        }
    }

    /** Whether the record at {@code offset} of {@code segment} still holds a live event (or is a deletion marker). */
    boolean live(RecordFormat.Body body, int segment, long offset) {
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

    /** Replaces {@code old} by its compacted generation; {@code moved}: per persistence id, old offset to new. */
    void swap(Segment old, Segment fresh, Map<String, Map<Long, Long>> moved) throws IOException {
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
    }

    /** Forces and closes every segment (at shutdown, once the writer and the compactor have stopped). */
    void forceAndClose() throws IOException {
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
        }
    }
}
