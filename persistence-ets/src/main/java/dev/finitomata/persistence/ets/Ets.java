package dev.finitomata.persistence.ets;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Objects;

/**
 * Entry point of the ETS store: in-memory, JVM-wide named tables behind a Pekko journal plugin
 * ({@value #JOURNAL}) and snapshot store plugin ({@value #SNAPSHOT_STORE}), the Java twin of Finitomata's ETS
 * adapter.
 *
 * <p>A table is shared by every ActorSystem of the JVM that names it (as an ETS table is shared by the processes of
 * a node): an FSM that stops, crashes, or restarts in another ActorSystem of the same JVM finds its state. Data is
 * lost when the JVM exits; use the file store or a database journal to keep it longer.
 *
 * <p>To use it, set {@code pekko.persistence.journal.plugin = "finitomata.persistence.ets.journal"} and
 * {@code pekko.persistence.snapshot-store.plugin = "finitomata.persistence.ets.snapshot-store"}, or start from
 * {@link #config()}. Settings of each plugin: {@code table} (default {@value #DEFAULT_TABLE}) and {@code serialize}
 * ({@code off}: objects are stored as they are; {@code on}: each is round-tripped through Pekko serialization, and
 * a write whose payload fails is rejected).
 */
public final class Ets {

    /** Config path of the journal plugin. */
    public static final String JOURNAL = "finitomata.persistence.ets.journal";
    /** Config path of the snapshot store plugin. */
    public static final String SNAPSHOT_STORE = "finitomata.persistence.ets.snapshot-store";
    /** The table the plugins use unless configured otherwise. */
    public static final String DEFAULT_TABLE = "finitomata";

    private Ets() {
    }

    /**
     * The JVM-wide table of that name, created on first use (thread-safe).
     *
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static EtsTable table(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("ETS table name must not be blank");
        }
        return new EtsTable(name);
    }

    /** The default table, {@value #DEFAULT_TABLE}. */
    public static EtsTable table() {
        return table(DEFAULT_TABLE);
    }

    /** Configuration that makes the ETS journal and snapshot store Pekko's defaults; add it as a fallback. */
    public static Config config() {
        return ConfigFactory.parseString("pekko.persistence.journal.plugin = \"" + JOURNAL + "\"\n"
                + "pekko.persistence.snapshot-store.plugin = \"" + SNAPSHOT_STORE + "\"\n");
    }
}
