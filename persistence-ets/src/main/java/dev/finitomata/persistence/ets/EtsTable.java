package dev.finitomata.persistence.ets;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmError;
import dev.finitomata.FsmState;
import dev.finitomata.Lifecycle;
import dev.finitomata.internal.protocol.Data;
import dev.finitomata.internal.protocol.Event;
import dev.finitomata.internal.protocol.TypePinned;
import dev.finitomata.internal.runtime.PersistenceIds;
import dev.finitomata.internal.runtime.TypePins;
import dev.finitomata.persistence.ets.internal.EventLog;
import dev.finitomata.persistence.ets.internal.SnapshotLog;
import dev.finitomata.persistence.ets.internal.TableStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;

/**
 * One JVM-wide ETS table, seen from outside the plugins: inspect what is stored and purge it. Obtain it with
 * {@link Ets#table(String)}. All methods are thread-safe and may be called from any thread while FSMs run.
 */
public final class EtsTable {

    private final String name;
    private final TableStore store;

    EtsTable(String name) {
        this.name = name;
        this.store = TableStore.named(name);
    }

    /** The table's name. */
    public String name() {
        return name;
    }

    /** Every persistence id with events or snapshots in this table, sorted. */
    public Set<String> persistenceIds() {
        return store.persistenceIds();
    }

    /** The highest sequence number written for {@code persistenceId} (0 when none; kept after deletions). */
    public long highestSequenceNr(String persistenceId) {
        EventLog log = store.eventsIfPresent(Objects.requireNonNull(persistenceId, "persistenceId"));
        return log == null ? 0 : log.highest();
    }

    /** The live (not deleted) events of {@code persistenceId}, oldest first. */
    public List<Object> events(String persistenceId) {
        EventLog log = store.eventsIfPresent(Objects.requireNonNull(persistenceId, "persistenceId"));
        return log == null ? List.of()
                : log.read(persistenceId, 0, Long.MAX_VALUE, Long.MAX_VALUE).stream().map(PersistentRepr::payload)
                        .toList();
    }

    /**
     * The newest thing stored for {@code persistenceId}: its last live event, or its latest snapshot when that is
     * newer (or when every event was deleted).
     */
    public Optional<Object> latest(String persistenceId) {
        Objects.requireNonNull(persistenceId, "persistenceId");
        EventLog log = store.eventsIfPresent(persistenceId);
        SnapshotLog snapshots = store.snapshotsIfPresent(persistenceId);
        Optional<SelectedSnapshot> snapshot = snapshots == null ? Optional.empty()
                : snapshots.latest(SnapshotSelectionCriteria.latest());
        if (log != null && log.size() > 0
                && snapshot.map(s -> s.metadata().sequenceNr() <= log.highest()).orElse(true)) {
            return Optional.ofNullable(log.lastPayload().getOrElse(() -> null));
        }
        return snapshot.map(SelectedSnapshot::snapshot);
    }

    /**
     * The state the FSM {@code name} of supervisor {@code supervisorId} would be loaded with (as Finitomata's
     * {@code Persistency.ETS.get}): its latest snapshot with the later events applied. {@code lastError} is empty
     * (failures are not persisted) and the lifecycle is {@code LOADED}. Empty when nothing is stored or the FSM
     * finished.
     */
    public <P> Optional<FsmState<P>> get(String supervisorId, Class<? extends FsmBehavior<P>> type, String name) {
        String persistenceId = persistenceId(supervisorId, type, Objects.requireNonNull(name, "name"));
        SnapshotLog snapshots = store.snapshotsIfPresent(persistenceId);
        Optional<SelectedSnapshot> snapshot = snapshots == null ? Optional.empty()
                : snapshots.latest(SnapshotSelectionCriteria.latest());
        Data data = snapshot.map(s -> (Data) s.snapshot()).orElse(Data.EMPTY);
        long from = snapshot.map(s -> s.metadata().sequenceNr() + 1).orElse(0L);
        EventLog log = store.eventsIfPresent(persistenceId);
        if (log != null) {
            for (PersistentRepr repr : log.read(persistenceId, from, Long.MAX_VALUE, Long.MAX_VALUE)) {
                data = data.apply((Event) repr.payload(), Integer.MAX_VALUE);
            }
        }
        if (!data.started()) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        P payload = (P) data.payload();
        return Optional.of(new FsmState<>(name, data.current(), payload, data.history(), Optional.empty(),
                Lifecycle.LOADED));
    }

    /**
     * The last error of the FSM {@code name} of supervisor {@code supervisorId} journaled in this table (as
     * Finitomata's {@code Persistency.ETS.last_error}): set when a transition fails or a hook throws, cleared by the
     * next success, a delete or a purge. Recorded by the ETS journal from the {@code FsmFailed} events of its
     * ActorSystem, so it lags the failure by a message; like everything in an ETS table it is JVM-wide and not
     * persisted.
     */
    public Optional<FsmError> lastError(String supervisorId, Class<? extends FsmBehavior<?>> type, String name) {
        return store.lastError(persistenceId(supervisorId, type, Objects.requireNonNull(name, "name")));
    }

    /** Erases every event and snapshot of the FSM {@code name} of supervisor {@code supervisorId} (stop it first). */
    public void purge(String supervisorId, Class<? extends FsmBehavior<?>> type, String name) {
        purge(persistenceId(supervisorId, type, Objects.requireNonNull(name, "name")));
    }

    /** Erases every event and snapshot of {@code persistenceId}; a new writer starts again at sequence number 1. */
    public void purge(String persistenceId) {
        store.remove(Objects.requireNonNull(persistenceId, "persistenceId"));
    }

    /** Erases everything in this table. */
    public void clear() {
        store.clear();
    }

    /** The FSM's persistence id: with the type name pinned for the supervisor id, else the class's simple name. */
    private String persistenceId(String supervisorId, Class<?> type, String name) {
        String typeName = latest(TypePins.persistenceId(supervisorId))
                .filter(TypePinned.class::isInstance).map(pin -> ((TypePinned) pin).typeName())
                .orElse(type.getSimpleName());
        return PersistenceIds.of(supervisorId, typeName, name);
    }

    @Override
    public String toString() {
        return "EtsTable(" + name + ")";
    }
}
