package dev.finitomata.persistence.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.JournalProtocol.DeleteMessagesTo;
import org.apache.pekko.persistence.JournalProtocol.RecoverySuccess;
import org.apache.pekko.persistence.JournalProtocol.ReplayMessages;
import org.apache.pekko.persistence.JournalProtocol.ReplayedMessage;
import org.apache.pekko.persistence.JournalProtocol.WriteMessageRejected;
import org.apache.pekko.persistence.JournalProtocol.WriteMessageSuccess;
import org.apache.pekko.persistence.JournalProtocol.WriteMessages;
import org.apache.pekko.persistence.JournalProtocol.WriteMessagesSuccessful$;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The journal contract: every case of Pekko's persistence TCK {@code JournalSpec} (pekko-persistence-tck 1.7.0), in
 * JUnit 5. Subclass it for each journal, with {@link #config()} making that journal Pekko's default one.
 */
public abstract class JournalContract extends PluginContract {

    private TestKit sender;
    private TestKit receiver;

    /** Whether the journal rejects payloads it cannot serialize (TCK flag of the same name). */
    protected boolean supportsRejectingNonSerializableObjects() {
        return false;
    }

    /** Whether events go through serialization (TCK flag of the same name). */
    protected boolean supportsSerialization() {
        return true;
    }

    /** Whether the journal stores {@code PersistentRepr} metadata (TCK flag of the same name). */
    protected boolean supportsMetadata() {
        return false;
    }

    @BeforeEach
    void writeFive() {
        sender = probe();
        receiver = probe();
        writeMessages(1, 5, pid, sender.getRef(), writerUuid);
    }

    protected ReplayedMessage replayed(long seq) {
        return new ReplayedMessage(PersistentRepr.apply("a-" + seq, seq, pid, "", false, ActorRef.noSender(),
                writerUuid));
    }

    private void replay(long from, long to, long max, int... expected) {
        journal().tell(new ReplayMessages(from, to, max, pid, receiver.getRef()), ActorRef.noSender());
        for (int i : expected) {
            receiver.expectMsg(replayed(i));
        }
        receiver.expectMsg(new RecoverySuccess(5L));
    }

    @Test
    void replayAllMessages() {
        replay(1, Long.MAX_VALUE, Long.MAX_VALUE, 1, 2, 3, 4, 5);
    }

    @Test
    void replayWithLowerBound() {
        replay(3, Long.MAX_VALUE, Long.MAX_VALUE, 3, 4, 5);
    }

    @Test
    void replayWithUpperBound() {
        replay(1, 3, Long.MAX_VALUE, 1, 2, 3);
    }

    @Test
    void replayWithCountLimit() {
        replay(1, Long.MAX_VALUE, 3, 1, 2, 3);
    }

    @Test
    void replayWithLowerAndUpperBound() {
        replay(2, 3, Long.MAX_VALUE, 2, 3);
    }

    @Test
    void replayWithBoundsAndCountLimit() {
        replay(2, 5, 2, 2, 3);
    }

    @Test
    void replaySingleWhenLowerEqualsUpper() {
        replay(2, 2, Long.MAX_VALUE, 2);
    }

    @Test
    void replaySingleWhenCountLimitIsOne() {
        replay(2, 4, 1, 2);
    }

    @Test
    void replayNothingWhenCountLimitIsZero() {
        replay(2, 4, 0);
    }

    @Test
    void replayNothingWhenLowerAboveUpper() {
        replay(3, 2, Long.MAX_VALUE);
    }

    @Test
    void replayNothingForAnUnknownPersistenceId() {
        journal().tell(new ReplayMessages(0, Long.MAX_VALUE, Long.MAX_VALUE, "non-existing-pid", receiver.getRef()),
                ActorRef.noSender());
        receiver.expectMsg(new RecoverySuccess(0L));
    }

    @Test
    void notReplayDeletedMessages() {
        TestKit receiver2 = probe();
        TestKit sub = probe();
        subscribe(DeleteMessagesTo.class, sub.getRef());
        DeleteMessagesTo cmd = new DeleteMessagesTo(pid, 3, receiver2.getRef());
        journal().tell(cmd, ActorRef.noSender());
        sub.expectMsg(cmd);
        receiver2.expectMsg(new DeleteMessagesSuccess(3));
        journal().tell(new ReplayMessages(1, Long.MAX_VALUE, Long.MAX_VALUE, pid, receiver.getRef()),
                ActorRef.noSender());
        receiver.expectMsg(replayed(4));
        receiver.expectMsg(replayed(5));
        receiver2.expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void notResetHighestSequenceNrAfterDeletion() {
        replay(0, Long.MAX_VALUE, Long.MAX_VALUE, 1, 2, 3, 4, 5);
        journal().tell(new DeleteMessagesTo(pid, 3, receiver.getRef()), ActorRef.noSender());
        receiver.expectMsg(new DeleteMessagesSuccess(3));
        replay(0, Long.MAX_VALUE, Long.MAX_VALUE, 4, 5);
    }

    @Test
    void notResetHighestSequenceNrAfterCleanup() {
        replay(0, Long.MAX_VALUE, Long.MAX_VALUE, 1, 2, 3, 4, 5);
        journal().tell(new DeleteMessagesTo(pid, Long.MAX_VALUE, receiver.getRef()), ActorRef.noSender());
        receiver.expectMsg(new DeleteMessagesSuccess(Long.MAX_VALUE));
        replay(0, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * A journal that serializes rejects the one atomic write whose payload it cannot serialize, and keeps the others;
     * one that stores objects as they are (ETS with {@code serialize = off}) stores it like any other.
     */
    @Test
    void nonSerializableEventsAreRejectedAloneOrStoredAsTheyAre() {
        Object notSerializable = new Object() {
            @Override
            public String toString() {
                return "not serializable";
            }
        };
        List<PersistentEnvelope> writes = new ArrayList<>();
        for (int i = 6; i <= 8; i++) {
            writes.add(AtomicWrite.apply(repr(i == 7 ? notSerializable : "b-" + i, i, pid, ActorRef.noSender(),
                    writerUuid)));
        }
        TestKit probe = probe();
        journal().tell(new WriteMessages(seq(writes), probe.getRef(), ACTOR_INSTANCE_ID), ActorRef.noSender());
        probe.expectMsg(WriteMessagesSuccessful$.MODULE$);
        assertEquals("b-6", probe.expectMsgClass(WriteMessageSuccess.class).persistent().payload());
        if (supportsRejectingNonSerializableObjects()) {
            WriteMessageRejected rejected = probe.expectMsgClass(WriteMessageRejected.class);
            assertSame(notSerializable, rejected.message().payload());
            assertEquals(7, rejected.message().sequenceNr());
        } else {
            assertSame(notSerializable, probe.expectMsgClass(WriteMessageSuccess.class).persistent().payload());
        }
        assertEquals("b-8", probe.expectMsgClass(WriteMessageSuccess.class).persistent().payload());
        journal().tell(new ReplayMessages(6, Long.MAX_VALUE, Long.MAX_VALUE, pid, receiver.getRef()),
                ActorRef.noSender());
        assertEquals(6, receiver.expectMsgClass(ReplayedMessage.class).persistent().sequenceNr());
        if (!supportsRejectingNonSerializableObjects()) {
            assertSame(notSerializable, receiver.expectMsgClass(ReplayedMessage.class).persistent().payload());
        }
        assertEquals(8, receiver.expectMsgClass(ReplayedMessage.class).persistent().sequenceNr());
        receiver.expectMsg(new RecoverySuccess(8L));
    }

    @Test
    void serializeEvents() {
        assumeTrue(supportsSerialization(), "journal does not serialize");
        TestKit probe = probe();
        TestPayload event = new TestPayload(probe.getRef());
        journal().tell(new WriteMessages(seq(List.of(AtomicWrite.apply(repr(event, 6, pid, ActorRef.noSender(),
                writerUuid)))), probe.getRef(), ACTOR_INSTANCE_ID), ActorRef.noSender());
        probe.expectMsg(WriteMessagesSuccessful$.MODULE$);
        PersistentRepr written = probe.expectMsgClass(WriteMessageSuccess.class).persistent();
        assertEquals(event, written.payload());
        assertEquals(6, written.sequenceNr());
        journal().tell(new ReplayMessages(6, Long.MAX_VALUE, Long.MAX_VALUE, pid, receiver.getRef()),
                ActorRef.noSender());
        PersistentRepr replayed = receiver.expectMsgClass(ReplayedMessage.class).persistent();
        assertEquals(event, replayed.payload());
        assertEquals(6, replayed.sequenceNr());
        assertEquals(writerUuid, replayed.writerUuid());
        assertEquals(ActorRef.noSender(), replayed.sender());
        RecoverySuccess done = receiver.expectMsgClass(RecoverySuccess.class);
        assertEquals(true, done.highestSequenceNr() >= 6);
    }

    @Test
    void returnMetadata() {
        assumeTrue(supportsMetadata(), "journal does not store metadata");
        TestKit probe = probe();
        TestPayload event = new TestPayload(probe.getRef());
        PersistentRepr withMeta = repr(event, 6, pid, ActorRef.noSender(), writerUuid).withMetadata("meta-data");
        journal().tell(new WriteMessages(seq(List.of(AtomicWrite.apply(withMeta))), probe.getRef(),
                ACTOR_INSTANCE_ID), ActorRef.noSender());
        probe.expectMsg(WriteMessagesSuccessful$.MODULE$);
        assertEquals("meta-data", probe.expectMsgClass(WriteMessageSuccess.class).persistent().metadata().get());
        journal().tell(new ReplayMessages(6, 6, 1, pid, receiver.getRef()), ActorRef.noSender());
        PersistentRepr replayed = receiver.expectMsgClass(ReplayedMessage.class).persistent();
        assertEquals(event, replayed.payload());
        assertEquals("meta-data", replayed.metadata().get());
        receiver.expectMsg(new RecoverySuccess(6L));
    }
}
