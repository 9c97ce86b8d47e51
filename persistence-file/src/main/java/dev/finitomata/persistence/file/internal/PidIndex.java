package dev.finitomata.persistence.file.internal;

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

    /**
     * Three longs per event, in sequence order: its sequence number, its record's offset, and the record's segment
     * (high half) and length (low half). One array, not one per field: most FSMs hold one or two events here, and
     * four arrays cost about 56 B more per persistence id (issue 26: heap per stored idle FSM). Room for one event at
     * first, and one more at a time up to four: an FSM that started and then sleeps holds one to three, and an idle one
     * keeps its array for days.
     */
    private long[] events = new long[STRIDE];
    private int size;
    long highest;
    long deletedTo;

    private static final int STRIDE = 3;

    private long seq(int i) {
        return events[i * STRIDE];
    }

    private long offset(int i) {
        return events[i * STRIDE + 1];
    }

    private int segment(int i) {
        return (int) (events[i * STRIDE + 2] >>> 32);
    }

    private int length(int i) {
        return (int) events[i * STRIDE + 2];
    }

    void add(long seq, int segment, long offset, int length) {
        if (seq <= deletedTo) {
            return;
        }
        if (size * STRIDE == events.length) {
            events = Arrays.copyOf(events, (size < 4 ? size + 1 : size + (size >> 1) + 1) * STRIDE);
        }
        int at = size * STRIDE;
        events[at] = seq;
        events[at + 1] = offset;
        events[at + 2] = ((long) segment << 32) | (length & 0xFFFF_FFFFL);
        size++;
        highest = Math.max(highest, seq);
    }

    /** Live events with {@code from <= seq <= to}, at most {@code max}. */
    Location[] range(long from, long to, long max) {
        int first = firstAtOrAfter(from);
        int last = first;
        while (last < size && seq(last) <= to && last - first < max) {
            last++;
        }
        Location[] found = new Location[last - first];
        for (int i = first; i < last; i++) {
            found[i - first] = new Location(seq(i), segment(i), offset(i), length(i));
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
            boolean sameRecordNext = i + 1 < size && offset(i + 1) == offset(i) && segment(i + 1) == segment(i);
            if (!sameRecordNext) {
                dead.record(segment(i), length(i));
            }
        }
        int remaining = size - cut;
        System.arraycopy(events, cut * STRIDE, events, 0, remaining * STRIDE);
        size = remaining;
    }

    /** Moves the events of {@code segment}'s records to their new offsets (compaction). */
    void relocate(int segment, java.util.Map<Long, Long> moved) {
        for (int i = 0; i < size; i++) {
            if (segment(i) == segment) {
                Long to = moved.get(offset(i));
                if (to != null) {
                    events[i * STRIDE + 1] = to;
                }
            }
        }
    }

    boolean holds(int segment, long offset) {
        for (int i = 0; i < size; i++) {
            if (segment(i) == segment && offset(i) == offset) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    /** The first event whose sequence number is at least {@code seq} (size if none). */
    private int firstAtOrAfter(long seq) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (seq(mid) < seq) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Told of records that became dead. */
    @FunctionalInterface
    interface DeadRecords {
        void record(int segment, int length);
    }
}
