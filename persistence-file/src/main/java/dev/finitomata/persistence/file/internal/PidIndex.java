package dev.finitomata.persistence.file.internal;

import dev.finitomata.internal.util.SortedLongs;
import java.util.Arrays;

/**
 * INTERNAL API. Where the live events of one persistence id are: per event its sequence number and the segment,
 * offset and length of the record holding it (several events of one atomic write share a record). Guarded by the
 * store's lock.
 */
final class PidIndex {

    /** The location of one event's record. */
    record Location(long sequenceNr, int segment, long offset, int length) {
    }

    private long[] seqs = new long[2];
    private int[] segments = new int[2];
    private long[] offsets = new long[2];
    private int[] lengths = new int[2];
    private int size;
    long highest;
    long deletedTo;

    void add(long seq, int segment, long offset, int length) {
        if (seq <= deletedTo) {
            return;
        }
        if (size == seqs.length) {
            int capacity = size + (size >> 1) + 1;
            seqs = Arrays.copyOf(seqs, capacity);
            segments = Arrays.copyOf(segments, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
        }
        seqs[size] = seq;
        segments[size] = segment;
        offsets[size] = offset;
        lengths[size] = length;
        size++;
        highest = Math.max(highest, seq);
    }

    /** Live events with {@code from <= seq <= to}, at most {@code max}. */
    Location[] range(long from, long to, long max) {
        int first = firstAtOrAfter(from);
        int last = first;
        while (last < size && seqs[last] <= to && last - first < max) {
            last++;
        }
        Location[] found = new Location[last - first];
        for (int i = first; i < last; i++) {
            found[i - first] = new Location(seqs[i], segments[i], offsets[i], lengths[i]);
        }
        return found;
    }

    /**
     * Drops events up to {@code to}; calls {@code dead} with (segment, length) of every record none of whose events
     * remain.
     */
    boolean hasLive() {
        return size > 0;
    }

    void deleteTo(long to, DeadRecords dead) {
        deletedTo = Math.max(deletedTo, to);
        int cut = to == Long.MAX_VALUE ? size : firstAtOrAfter(to + 1);
        for (int i = 0; i < cut; i++) {
            boolean sameRecordNext = i + 1 < size && offsets[i + 1] == offsets[i] && segments[i + 1] == segments[i];
            if (!sameRecordNext) {
                dead.record(segments[i], lengths[i]);
            }
        }
        int remaining = size - cut;
        System.arraycopy(seqs, cut, seqs, 0, remaining);
        System.arraycopy(segments, cut, segments, 0, remaining);
        System.arraycopy(offsets, cut, offsets, 0, remaining);
        System.arraycopy(lengths, cut, lengths, 0, remaining);
        size = remaining;
    }

    /** Moves the events of {@code segment}'s records to their new offsets (compaction). */
    void relocate(int segment, java.util.Map<Long, Long> moved) {
        for (int i = 0; i < size; i++) {
            if (segments[i] == segment) {
                Long to = moved.get(offsets[i]);
                if (to != null) {
                    offsets[i] = to;
                }
            }
        }
    }

    boolean holds(int segment, long offset) {
        for (int i = 0; i < size; i++) {
            if (segments[i] == segment && offsets[i] == offset) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    private int firstAtOrAfter(long seq) {
        return SortedLongs.firstAtOrAfter(seqs, 0, size, seq);
    }

    /** Told of records that became dead. */
    @FunctionalInterface
    interface DeadRecords {
        void record(int segment, int length);
    }
}
