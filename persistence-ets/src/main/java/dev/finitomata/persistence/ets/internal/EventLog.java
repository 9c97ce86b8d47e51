package dev.finitomata.persistence.ets.internal;

import dev.finitomata.internal.util.SortedLongs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.PersistentRepr;
import scala.Option;

/**
 * INTERNAL API. The events of one persistence id, in sequence-number order.
 *
 * <p>Design: column arrays (sequence number, timestamp, payload, writer uuid, manifest, metadata) over a live window
 * {@code [start, end)} instead of one object per event, so a stored event costs its payload plus about 28 bytes;
 * writer uuids and manifests are shared references. Sequence numbers only grow but may have gaps (rejected writes),
 * so reads binary-search. Deleting from the front nulls the references at once (the payloads become garbage) and
 * compacts the arrays when the dead prefix passes half of them. Every method locks this log only, so different
 * persistence ids never contend.
 */
public final class EventLog {

    private static final int INITIAL_CAPACITY = 2;

    private long[] seqs = new long[INITIAL_CAPACITY];
    private long[] timestamps = new long[INITIAL_CAPACITY];
    private Object[] payloads = new Object[INITIAL_CAPACITY];
    private String[] writers = new String[INITIAL_CAPACITY];
    private String[] manifests = new String[INITIAL_CAPACITY];
    private Object[] metadata;
    private int start;
    private int end;
    private long highest;

    /** Appends the events of one atomic write, all or none. */
    public synchronized void appendAll(java.util.List<PersistentRepr> reprs, Object[] payloads) {
        long previous = highest;
        for (PersistentRepr repr : reprs) {
            if (repr.sequenceNr() <= previous) {
                throw new IllegalStateException("sequence number " + repr.sequenceNr() + " of "
                        + repr.persistenceId() + " is not after the highest stored (" + previous + ")");
            }
            previous = repr.sequenceNr();
        }
        for (int i = 0; i < payloads.length; i++) {
            append(reprs.get(i), payloads[i]);
        }
    }

    private void append(PersistentRepr repr, Object payload) {
        if (end == seqs.length) {
            grow();
        }
        seqs[end] = repr.sequenceNr();
        timestamps[end] = repr.timestamp();
        payloads[end] = payload;
        writers[end] = repr.writerUuid();
        manifests[end] = repr.manifest();
        if (repr.metadata().isDefined()) {
            if (metadata == null) {
                metadata = new Object[seqs.length];
            }
            metadata[end] = repr.metadata().get();
        }
        end++;
        highest = Math.max(highest, repr.sequenceNr());
    }

    /** The events with {@code from <= seq <= to}, at most {@code max}, rebuilt as sender-less reprs. */
    public synchronized List<PersistentRepr> read(String persistenceId, long from, long to, long max) {
        List<PersistentRepr> found = new ArrayList<>();
        for (int i = firstAtOrAfter(from); i < end && seqs[i] <= to && found.size() < max; i++) {
            PersistentRepr repr = PersistentRepr.apply(payloads[i], seqs[i], persistenceId, manifests[i], false,
                    ActorRef.noSender(), writers[i]).withTimestamp(timestamps[i]);
            if (metadata != null && metadata[i] != null) {
                repr = repr.withMetadata(metadata[i]);
            }
            found.add(repr);
        }
        return found;
    }

    /** The newest live event's payload, if any. */
    public synchronized Option<Object> lastPayload() {
        return end > start ? Option.apply(payloads[end - 1]) : Option.empty();
    }

    public synchronized long highest() {
        return highest;
    }

    public synchronized int size() {
        return end - start;
    }

    /** Frees every event with {@code seq <= to}; the highest sequence number is kept. */
    public synchronized void deleteTo(long to) {
        int cut = to == Long.MAX_VALUE ? end : firstAtOrAfter(to + 1);
        Arrays.fill(payloads, start, cut, null);
        Arrays.fill(writers, start, cut, null);
        Arrays.fill(manifests, start, cut, null);
        if (metadata != null) {
            Arrays.fill(metadata, start, cut, null);
        }
        start = cut;
        if (start == end) {
            start = 0;
            end = 0;
            shrinkTo(INITIAL_CAPACITY);
        } else if (start > seqs.length / 2) {
            shrinkTo(Math.max(INITIAL_CAPACITY, end - start));
        }
    }

    private int firstAtOrAfter(long seq) {
        return SortedLongs.firstAtOrAfter(seqs, start, end, seq);
    }

    private void grow() {
        int live = end - start;
        int capacity = live < seqs.length / 2 ? seqs.length : seqs.length + (seqs.length >> 1) + 1;
        resize(capacity);
    }

    private void shrinkTo(int capacity) {
        resize(Math.max(capacity, end - start));
    }

    private void resize(int capacity) {
        int live = end - start;
        seqs = Arrays.copyOfRange(seqs, start, start + capacity);
        timestamps = Arrays.copyOfRange(timestamps, start, start + capacity);
        payloads = Arrays.copyOfRange(payloads, start, start + capacity);
        writers = Arrays.copyOfRange(writers, start, start + capacity);
        manifests = Arrays.copyOfRange(manifests, start, start + capacity);
        if (metadata != null) {
            metadata = Arrays.copyOfRange(metadata, start, start + capacity);
        }
        start = 0;
        end = live;
    }
}
