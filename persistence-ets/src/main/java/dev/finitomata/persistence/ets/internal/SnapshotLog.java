package dev.finitomata.persistence.ets.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;

/**
 * INTERNAL API. The snapshots of one persistence id, sorted by sequence number (one per sequence number: a save with
 * the same number replaces the older one). Locks only itself.
 */
public final class SnapshotLog {

    private final List<SelectedSnapshot> snapshots = new ArrayList<>(1);

    public synchronized void save(SnapshotMetadata metadata, Object snapshot) {
        snapshots.removeIf(s -> s.metadata().sequenceNr() == metadata.sequenceNr());
        int at = 0;
        while (at < snapshots.size() && snapshots.get(at).metadata().sequenceNr() < metadata.sequenceNr()) {
            at++;
        }
        snapshots.add(at, SelectedSnapshot.create(metadata, snapshot));
    }

    public synchronized Optional<SelectedSnapshot> latest(SnapshotSelectionCriteria criteria) {
        for (int i = snapshots.size() - 1; i >= 0; i--) {
            if (matches(snapshots.get(i).metadata(), criteria)) {
                return Optional.of(snapshots.get(i));
            }
        }
        return Optional.empty();
    }

    /** Deletes the snapshot with that sequence number (and that timestamp, unless it is 0). */
    public synchronized void delete(SnapshotMetadata metadata) {
        snapshots.removeIf(s -> s.metadata().sequenceNr() == metadata.sequenceNr()
                && (metadata.timestamp() == 0 || s.metadata().timestamp() == metadata.timestamp()));
    }

    public synchronized void delete(SnapshotSelectionCriteria criteria) {
        snapshots.removeIf(s -> matches(s.metadata(), criteria));
    }

    public synchronized boolean isEmpty() {
        return snapshots.isEmpty();
    }

    static boolean matches(SnapshotMetadata m, SnapshotSelectionCriteria c) {
        return m.sequenceNr() <= c.maxSequenceNr() && m.timestamp() <= c.maxTimestamp()
                && m.sequenceNr() >= c.minSequenceNr() && m.timestamp() >= c.minTimestamp();
    }
}
