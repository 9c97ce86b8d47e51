package dev.finitomata.persistence.ets.internal;

import com.typesafe.config.Config;
import java.util.Optional;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import scala.concurrent.Future;

/**
 * INTERNAL API. The ETS snapshot store plugin ({@code finitomata.persistence.ets.snapshot-store}); synchronous
 * against the JVM-wide {@link TableStore} named by {@code table}, like {@link EtsJournal}.
 */
public final class EtsSnapshotStore extends SnapshotStore {

    private final TableStore table;
    private final PayloadCheck check;

    /** Called by Pekko with the plugin's configuration. */
    public EtsSnapshotStore(Config config) {
        this.table = TableStore.named(config.getString("table"));
        this.check = new PayloadCheck(context().system(), config);
    }

    @Override
    public Future<Optional<SelectedSnapshot>> doLoadAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
        SnapshotLog log = table.snapshotsIfPresent(persistenceId);
        return Futures.successful(log == null ? Optional.empty() : log.latest(criteria));
    }

    @Override
    public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
        try {
            table.snapshots(metadata.persistenceId()).save(metadata, check.prepare(snapshot));
            return Futures.successful(null);
        } catch (Exception e) {
            return Futures.failed(e);
        }
    }

    @Override
    public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
        SnapshotLog log = table.snapshotsIfPresent(metadata.persistenceId());
        if (log != null) {
            log.delete(metadata);
        }
        return Futures.successful(null);
    }

    @Override
    public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
        SnapshotLog log = table.snapshotsIfPresent(persistenceId);
        if (log != null) {
            log.delete(criteria);
        }
        return Futures.successful(null);
    }
}
