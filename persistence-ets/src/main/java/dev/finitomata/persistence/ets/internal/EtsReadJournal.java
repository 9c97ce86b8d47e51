package dev.finitomata.persistence.ets.internal;

import com.typesafe.config.Config;
import dev.finitomata.internal.query.PagedReadJournal;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.query.EventEnvelope;

/**
 * INTERNAL API. The ETS store's read journal ({@code finitomata.persistence.ets.query}): the current events of a
 * persistence id and the current persistence ids of the JVM-wide table that the journal configured by
 * {@code journal} writes to, so any ActorSystem of the JVM (any node of an in-JVM cluster) reads the same.
 *
 * <p>Design: memory answers at once, so pages are read on the stream's own dispatcher.
 */
public final class EtsReadJournal extends PagedReadJournal {

    private final TableStore table;

    /** Called by Pekko Persistence Query with the plugin's configuration. */
    public EtsReadJournal(ExtendedActorSystem system, Config config) {
        super("pekko.actor.default-dispatcher");
        this.table = TableStore.named(system.settings().config().getConfig(config.getString("journal"))
                .getString("table"));
    }

    @Override
    protected List<EventEnvelope> page(String persistenceId, long from, long to, int max) {
        EventLog log = table.eventsIfPresent(persistenceId);
        if (log == null) {
            return List.of();
        }
        List<EventEnvelope> page = new ArrayList<>();
        for (PersistentRepr repr : log.read(persistenceId, from, to, max)) {
            page.add(envelope(persistenceId, repr.sequenceNr(), repr.payload(), repr.timestamp()));
        }
        return page;
    }

    @Override
    protected List<String> persistenceIds() {
        return table.persistenceIds().stream().filter(id -> {
            EventLog log = table.eventsIfPresent(id);
            return log != null && log.size() > 0;
        }).toList();
    }
}
