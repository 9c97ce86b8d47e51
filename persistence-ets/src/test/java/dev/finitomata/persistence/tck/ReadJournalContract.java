package dev.finitomata.persistence.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.JournalProtocol.DeleteMessagesTo;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.Test;

/**
 * The read journal contract: the cases of the persistence-query test suites of Pekko's journal plugins
 * (pekko-persistence-jdbc's {@code CurrentEventsByPersistenceIdTest} and {@code CurrentPersistenceIdsTest}) for the
 * two queries Finitomata's read journals offer, in JUnit 5. Events are written through the journal protocol, as
 * the journal contract does; a subclass names the read journal of the journal under test.
 */
public abstract class ReadJournalContract extends PluginContract {

    /** The config path of the read journal under test. */
    protected abstract String readJournalPluginId();

    private <T> List<T> run(Source<T, NotUsed> source) {
        try {
            return source.runWith(Sink.seq(), system).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<EventEnvelope> events(String persistenceId, long from, long to) {
        return run(PersistenceQuery.get(system)
                .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, readJournalPluginId())
                .currentEventsByPersistenceId(persistenceId, from, to));
    }

    private List<String> persistenceIds() {
        return run(PersistenceQuery.get(system)
                .getReadJournalFor(CurrentPersistenceIdsQuery.class, readJournalPluginId())
                .currentPersistenceIds());
    }

    private static List<Long> seqs(List<EventEnvelope> events) {
        return events.stream().map(EventEnvelope::sequenceNr).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void anUnknownPersistenceIdCompletesEmpty() {
        assertEquals(List.of(), events("no-such-" + pid, 0, Long.MAX_VALUE));
    }

    @Test
    void allEventsInOrderAsTheyWereWritten() {
        writeMessages(1, 5, pid, ActorRef.noSender(), writerUuid);
        List<EventEnvelope> events = events(pid, 0, Long.MAX_VALUE);
        assertEquals(range(1, 5), seqs(events));
        for (EventEnvelope e : events) {
            assertEquals(pid, e.persistenceId());
            assertEquals("a-" + e.sequenceNr(), e.event());
            assertEquals(Offset.sequence(e.sequenceNr()), e.offset());
        }
    }

    @Test
    void boundsAreInclusive() {
        writeMessages(1, 5, pid, ActorRef.noSender(), writerUuid);
        assertEquals(range(2, 4), seqs(events(pid, 2, 4)));
        assertEquals(List.of(1L), seqs(events(pid, 1, 1)));
        assertEquals(range(3, 5), seqs(events(pid, 3, Long.MAX_VALUE)));
        assertEquals(List.of(), events(pid, 6, Long.MAX_VALUE));
        assertEquals(List.of(), events(pid, 4, 2));
    }

    @Test
    void aLongJournalIsReadWholeAcrossPages() {
        int total = 3 * 256 + 7;
        for (int from = 1; from <= total; from += 100) {
            writeMessages(from, Math.min(from + 99, total), pid, ActorRef.noSender(), writerUuid);
        }
        assertEquals(range(1, total), seqs(events(pid, 0, Long.MAX_VALUE)));
        assertEquals(range(250, 520), seqs(events(pid, 250, 520)));
    }

    @Test
    void deletedEventsAreNotRead() {
        writeMessages(1, 5, pid, ActorRef.noSender(), writerUuid);
        delete(3);
        assertEquals(range(4, 5), seqs(events(pid, 0, Long.MAX_VALUE)));
        delete(Long.MAX_VALUE);
        assertEquals(List.of(), events(pid, 0, Long.MAX_VALUE));
        assertFalse(persistenceIds().contains(pid));
    }

    @Test
    void currentPersistenceIdsListsThoseWithEvents() {
        assertFalse(persistenceIds().contains(pid));
        writeMessages(1, 2, pid, ActorRef.noSender(), writerUuid);
        List<String> ids = persistenceIds();
        assertTrue(ids.contains(pid), ids.toString());
        assertEquals(ids.size(), ids.stream().distinct().count());
    }

    @Test
    void aCurrentQueryEndsAtWhatWasStoredWhenItRan() {
        writeMessages(1, 2, pid, ActorRef.noSender(), writerUuid);
        List<EventEnvelope> first = events(pid, 0, Long.MAX_VALUE);
        writeMessages(3, 4, pid, ActorRef.noSender(), writerUuid);
        assertEquals(range(1, 2), seqs(first));
        assertEquals(range(1, 4), seqs(events(pid, 0, Long.MAX_VALUE)));
    }

    private void delete(long to) {
        TestKit probe = probe();
        journal().tell(new DeleteMessagesTo(pid, to, probe.getRef()), ActorRef.noSender());
        probe.expectMsgClass(DeleteMessagesSuccess.class);
    }
}
