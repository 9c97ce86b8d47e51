package dev.finitomata.persistence.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.DeleteSnapshotSuccess;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol.DeleteSnapshot;
import org.apache.pekko.persistence.SnapshotProtocol.DeleteSnapshots;
import org.apache.pekko.persistence.SnapshotProtocol.LoadSnapshot;
import org.apache.pekko.persistence.SnapshotProtocol.LoadSnapshotResult;
import org.apache.pekko.persistence.SnapshotProtocol.SaveSnapshot;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scala.Option;

/**
 * The snapshot store contract: every case of Pekko's persistence TCK {@code SnapshotStoreSpec}
 * (pekko-persistence-tck 1.7.0), in JUnit 5. Subclass it for each snapshot store.
 */
public abstract class SnapshotStoreContract extends PluginContract {

    private static final long MAX = Long.MAX_VALUE;

    private TestKit sender;
    private List<SnapshotMetadata> metadata;

    /** Whether snapshots go through serialization (TCK flag of the same name). */
    protected boolean supportsSerialization() {
        return true;
    }

    /** The size of snapshot the store must accept (TCK: 10,000 bytes). */
    protected int snapshotByteSizeLimit() {
        return 10_000;
    }

    protected ActorRef store() {
        return extension.snapshotStoreFor(null, ConfigFactory.empty());
    }

    @BeforeEach
    void writeSnapshots() {
        sender = probe();
        metadata = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            store().tell(new SaveSnapshot(new SnapshotMetadata(pid, i + 10, 0L), "s-" + i), sender.getRef());
            metadata.add(sender.expectMsgClass(SaveSnapshotSuccess.class).metadata());
        }
    }

    private void load(String id, SnapshotSelectionCriteria criteria, long toSequenceNr, Option<SelectedSnapshot> expected) {
        store().tell(new LoadSnapshot(id, criteria, toSequenceNr), sender.getRef());
        sender.expectMsg(new LoadSnapshotResult(expected, toSequenceNr));
    }

    private Option<SelectedSnapshot> selected(int index, String snapshot) {
        return Option.apply(SelectedSnapshot.create(metadata.get(index), snapshot));
    }

    private static SnapshotSelectionCriteria criteria(long maxSequenceNr, long maxTimestamp) {
        return SnapshotSelectionCriteria.create(maxSequenceNr, maxTimestamp);
    }

    @Test
    void notLoadForAnInvalidPersistenceId() {
        load("invalid", SnapshotSelectionCriteria.latest(), MAX, Option.empty());
    }

    @Test
    void notLoadWithNonMatchingTimestamp() {
        load(pid, criteria(MAX, 100), MAX, Option.empty());
    }

    @Test
    void notLoadWithNonMatchingSequenceNr() {
        load(pid, criteria(7, MAX), MAX, Option.empty());
        load(pid, SnapshotSelectionCriteria.latest(), 7, Option.empty());
    }

    @Test
    void loadTheMostRecent() {
        load(pid, SnapshotSelectionCriteria.latest(), MAX, selected(4, "s-5"));
    }

    @Test
    void loadTheMostRecentWithUpperSequenceNrBound() {
        load(pid, criteria(13, MAX), MAX, selected(2, "s-3"));
        load(pid, SnapshotSelectionCriteria.latest(), 13, selected(2, "s-3"));
    }

    @Test
    void loadTheMostRecentWithSequenceNrAndTimestampBounds() {
        load(pid, criteria(13, metadata.get(2).timestamp()), MAX, selected(2, "s-3"));
        load(pid, criteria(MAX, metadata.get(2).timestamp()), 13, selected(2, "s-3"));
    }

    @Test
    void deleteASingleSnapshotBySequenceNr() {
        SnapshotMetadata md = new SnapshotMetadata(pid, metadata.get(2).sequenceNr(), 0L);
        DeleteSnapshot cmd = new DeleteSnapshot(md);
        TestKit sub = probe();
        subscribe(DeleteSnapshot.class, sub.getRef());
        store().tell(cmd, sender.getRef());
        sub.expectMsg(cmd);
        sender.expectMsg(new DeleteSnapshotSuccess(md));
        load(pid, criteria(md.sequenceNr(), MAX), MAX, selected(1, "s-2"));
    }

    /** Deletes by {@code criteria}; the command is published on the event stream and answered with success. */
    private void deleteSnapshots(SnapshotSelectionCriteria criteria) {
        DeleteSnapshots cmd = new DeleteSnapshots(pid, criteria);
        TestKit sub = probe();
        subscribe(DeleteSnapshots.class, sub.getRef());
        store().tell(cmd, sender.getRef());
        sub.expectMsg(cmd);
        sender.expectMsg(new DeleteSnapshotsSuccess(criteria));
    }

    @Test
    void deleteAllMatchingSequenceNrAndTimestampBounds() {
        SnapshotMetadata md = metadata.get(2);
        SnapshotSelectionCriteria criteria = criteria(md.sequenceNr(), md.timestamp());
        deleteSnapshots(criteria);
        load(pid, criteria(md.sequenceNr(), md.timestamp()), MAX, Option.empty());
        load(pid, criteria(metadata.get(3).sequenceNr(), metadata.get(3).timestamp()), MAX, selected(3, "s-4"));
    }

    @Test
    void notDeleteWithNonMatchingTimestampBound() {
        SnapshotMetadata md = metadata.get(3);
        SnapshotSelectionCriteria criteria = criteria(md.sequenceNr(), md.timestamp() - 1);
        deleteSnapshots(criteria);
        load(pid, criteria(md.sequenceNr(), md.timestamp()), MAX, selected(3, "s-4"));
    }

    @Test
    void saveAndOverwriteWithTheSameSequenceNr() {
        SnapshotMetadata md = metadata.get(4);
        store().tell(new SaveSnapshot(md, "s-5-modified"), sender.getRef());
        assertEquals(md.sequenceNr(), sender.expectMsgClass(SaveSnapshotSuccess.class).metadata().sequenceNr());
        store().tell(new LoadSnapshot(pid, criteria(md.sequenceNr(), MAX), MAX), sender.getRef());
        LoadSnapshotResult result = sender.expectMsgClass(LoadSnapshotResult.class);
        assertEquals("s-5-modified", result.snapshot().get().snapshot());
        assertEquals(md.sequenceNr(), result.snapshot().get().metadata().sequenceNr());
    }

    @Test
    void saveABiggerSnapshot() {
        store().tell(new SaveSnapshot(new SnapshotMetadata(pid, 100, 0L), "0".repeat(snapshotByteSizeLimit())),
                sender.getRef());
        sender.expectMsgClass(SaveSnapshotSuccess.class);
    }

    @Test
    void serializeSnapshots() {
        assumeTrue(supportsSerialization(), "snapshot store does not serialize");
        TestKit probe = probe();
        TestPayload snap = new TestPayload(probe.getRef());
        store().tell(new SaveSnapshot(new SnapshotMetadata(pid, 100, 0L), snap), sender.getRef());
        sender.expectMsgClass(SaveSnapshotSuccess.class);
        store().tell(new LoadSnapshot(pid, SnapshotSelectionCriteria.latest(), MAX), sender.getRef());
        LoadSnapshotResult result = sender.expectMsgClass(LoadSnapshotResult.class);
        assertEquals(pid, result.snapshot().get().metadata().persistenceId());
        assertEquals(100, result.snapshot().get().metadata().sequenceNr());
        assertEquals(snap, result.snapshot().get().snapshot());
        assertEquals(MAX, result.toSequenceNr());
    }
}
