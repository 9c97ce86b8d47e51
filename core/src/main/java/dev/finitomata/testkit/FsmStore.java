package dev.finitomata.testkit;

/**
 * The journal (and snapshot store) an {@link FsmTestKitExtension} gives a test. Each test gets a store of its own,
 * which is gone after the test.
 */
public enum FsmStore {
    /** Pekko's in-memory journal, with snapshots in a temporary directory: it lives as long as the ActorSystem. */
    INMEM,
    /**
     * finitomata-persistence-ets, in a table of the test's own (cleared afterwards): survives {@code restart()}.
     * Needs finitomata-persistence-ets on the test class path.
     */
    ETS,
    /**
     * finitomata-persistence-file, in a temporary directory of the test's own (deleted afterwards): durable, fsync'd,
     * survives {@code restart()}. Needs finitomata-persistence-file on the test class path.
     */
    FILE
}
