package dev.finitomata.persistence.ets.internal;

import dev.finitomata.FsmError;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * INTERNAL API. The data of one named table: an event log and a snapshot log per persistence id, and the last error
 * of each FSM journaled here (as Finitomata's ETS adapter keeps it: never persisted). JVM-wide: every journal and
 * snapshot store instance naming the table, in any ActorSystem of this JVM, shares this object.
 */
public final class TableStore {

    private static final ConcurrentHashMap<String, TableStore> TABLES = new ConcurrentHashMap<>();

    /** The JVM-wide table of that name, created on first use. */
    public static TableStore named(String name) {
        return TABLES.computeIfAbsent(name, n -> new TableStore());
    }

    private final ConcurrentHashMap<String, EventLog> journal = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SnapshotLog> snapshots = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, FsmError> errors = new ConcurrentHashMap<>();

    public EventLog events(String persistenceId) {
        return journal.computeIfAbsent(persistenceId, id -> new EventLog());
    }

    public EventLog eventsIfPresent(String persistenceId) {
        return journal.get(persistenceId);
    }

    public SnapshotLog snapshots(String persistenceId) {
        return snapshots.computeIfAbsent(persistenceId, id -> new SnapshotLog());
    }

    public SnapshotLog snapshotsIfPresent(String persistenceId) {
        return snapshots.get(persistenceId);
    }

    public java.util.Set<String> persistenceIds() {
        java.util.Set<String> ids = new java.util.TreeSet<>(journal.keySet());
        ids.addAll(snapshots.keySet());
        return ids;
    }

    public void remove(String persistenceId) {
        journal.remove(persistenceId);
        snapshots.remove(persistenceId);
        errors.remove(persistenceId);
    }

    public void clear() {
        journal.clear();
        snapshots.clear();
        errors.clear();
    }

    /** Records the last error of {@code persistenceId}, if this table holds it. */
    public void failed(String persistenceId, FsmError error) {
        if (journal.containsKey(persistenceId) || snapshots.containsKey(persistenceId)) {
            errors.put(persistenceId, error);
        }
    }

    public void cleared(String persistenceId) {
        errors.remove(persistenceId);
    }

    public Optional<FsmError> lastError(String persistenceId) {
        return Optional.ofNullable(errors.get(persistenceId));
    }
}
