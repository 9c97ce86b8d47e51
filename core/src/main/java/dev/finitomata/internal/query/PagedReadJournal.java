package dev.finitomata.internal.query;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.ReadJournalProvider;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;

/**
 * INTERNAL API. The base of the read journals of Finitomata's own stores (ETS, file): the current events of one
 * persistence id and the current persistence ids, as Pekko Persistence Query's javadsl (the scaladsl side offers no
 * query). It is its own {@link ReadJournalProvider}: a store's plugin class extends it, with Pekko's constructor
 * {@code (ExtendedActorSystem, Config)}.
 *
 * <p>Design: a store answers a bounded page of events at a time ({@link #page}); the source reads page after page
 * on {@code dispatcher} (the blocking-IO one for a store on disk), so a long journal is never held in memory at
 * once, and completes at the highest event stored when the page was read ("current" queries do not follow new
 * writes).
 */
public abstract class PagedReadJournal implements ReadJournalProvider, ReadJournal,
        CurrentEventsByPersistenceIdQuery, CurrentPersistenceIdsQuery {

    /** Events read per page. */
    public static final int PAGE = 256;

    private final String dispatcher;

    /** @param dispatcher config path of the dispatcher the pages are read on */
    protected PagedReadJournal(String dispatcher) {
        this.dispatcher = dispatcher;
    }

    /**
     * At most {@code max} stored events of {@code persistenceId} with {@code from <= sequence number <= to}, in
     * order; may block.
     */
    protected abstract List<EventEnvelope> page(String persistenceId, long from, long to, int max);

    /** The persistence ids with events stored now; may block. */
    protected abstract List<String> persistenceIds();

    /** An envelope as Pekko's own read journals make it: the offset is the sequence number. */
    protected static EventEnvelope envelope(String persistenceId, long sequenceNr, Object event, long timestamp) {
        return EventEnvelope.apply(Offset.sequence(sequenceNr), persistenceId, sequenceNr, event, timestamp);
    }

    @Override
    public Source<EventEnvelope, NotUsed> currentEventsByPersistenceId(String persistenceId, long fromSequenceNr,
                                                                       long toSequenceNr) {
        return Source.unfold(Math.max(1, fromSequenceNr), (Long next) -> {
            if (next < 1 || next > toSequenceNr) {
                return Optional.<Pair<Long, List<EventEnvelope>>>empty();
            }
            List<EventEnvelope> page = page(persistenceId, next, toSequenceNr, PAGE);
            if (page.isEmpty()) {
                return Optional.<Pair<Long, List<EventEnvelope>>>empty();
            }
            long last = page.get(page.size() - 1).sequenceNr();
            long after = page.size() < PAGE || last == Long.MAX_VALUE ? -1 : last + 1;
            return Optional.of(Pair.create(after, page));
        }).mapConcat(page -> page).withAttributes(ActorAttributes.dispatcher(dispatcher));
    }

    @Override
    public Source<String, NotUsed> currentPersistenceIds() {
        return Source.lazySource(() -> Source.from(persistenceIds()))
                .mapMaterializedValue(m -> NotUsed.getInstance())
                .withAttributes(ActorAttributes.dispatcher(dispatcher));
    }

    @Override
    public ReadJournal javadslReadJournal() {
        return this;
    }

    @Override
    public org.apache.pekko.persistence.query.scaladsl.ReadJournal scaladslReadJournal() {
        return new org.apache.pekko.persistence.query.scaladsl.ReadJournal() {
        };
    }
}
