package dev.finitomata.persistence.file.internal;

import com.typesafe.config.Config;
import dev.finitomata.internal.query.PagedReadJournal;
import dev.finitomata.persistence.file.internal.RecordFormat.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The file store's read journal ({@code finitomata.persistence.file.query}): the current events of a
 * persistence id and the current persistence ids, read from the same JVM-wide {@link FileStore} as the journal
 * configured by {@code journal} (so it reads what the journal wrote, whether or not the journal actor has started).
 *
 * <p>Design: pages are read from the store's index and segment files on the blocking-IO dispatcher and deserialized
 * as a replay does; the store is released when the ActorSystem terminates.
 */
public final class FileReadJournal extends PagedReadJournal {

    private final FileStore store;
    private final Serializing serializing;

    /** Called by Pekko Persistence Query with the plugin's configuration. */
    public FileReadJournal(ExtendedActorSystem system, Config config) {
        super("pekko.actor.default-blocking-io-dispatcher");
        this.store = FileJournal.acquire(system.settings().config().getConfig(config.getString("journal")));
        this.serializing = new Serializing(system);
        system.registerOnTermination(() -> {
            try {
                SharedStores.release(store);
            } catch (IOException e) {
                LoggerFactory.getLogger(FileReadJournal.class).warn("closing the file journal failed: {}",
                        e.toString());
            }
        });
    }

    @Override
    protected List<EventEnvelope> page(String persistenceId, long from, long to, int max) {
        try {
            List<EventEnvelope> page = new ArrayList<>();
            for (StoredEvent e : store.read(persistenceId, from, to, max)) {
                page.add(envelope(persistenceId, e.sequenceNr(), serializing.fromBlob(e.payload()), e.timestamp()));
            }
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected List<String> persistenceIds() {
        return store.persistenceIds();
    }
}
