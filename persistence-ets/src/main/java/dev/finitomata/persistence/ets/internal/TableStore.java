package dev.finitomata.persistence.ets.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * INTERNAL API. The data of one named table: an event log and a snapshot log per persistence id. JVM-wide: every
 * journal and snapshot store instance naming the table, in any ActorSystem of this JVM, shares this object.
 */
public final class TableStore {

    private static final ConcurrentHashMap<String, TableStore> TABLES = new ConcurrentHashMap<>();

    /** The JVM-wide table of that name, created on first use. */
    public static TableStore named(String name) {
        return TABLES.computeIfAbsent(name, n -> new TableStore());
    }

    private final ConcurrentHashMap<String, EventLog> journal = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SnapshotLog> snapshots = new ConcurrentHashMap<>();

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
    }

    public void clear() {
        journal.clear();
        snapshots.clear();
    }
}
