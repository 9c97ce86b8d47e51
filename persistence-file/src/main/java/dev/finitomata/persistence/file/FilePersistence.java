package dev.finitomata.persistence.file;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Entry point of the file store: a durable Pekko journal ({@value #JOURNAL}) and snapshot store
 * ({@value #SNAPSHOT_STORE}) on local disk. A write is acknowledged only once it is on disk ({@code fsync = always},
 * the default); group commit shares each fsync among all writes that arrived while the previous one ran. State
 * survives JVM restarts, {@code kill -9} and power cuts. One process per directory: the store locks it.
 *
 * <p>Use it by setting {@code pekko.persistence.journal.plugin = "finitomata.persistence.file.journal"} and
 * {@code pekko.persistence.snapshot-store.plugin = "finitomata.persistence.file.snapshot-store"}, or with
 * {@link #config(Path)}. The on-disk format is described in docs/file-journal.md.
 */
public final class FilePersistence {

    /** Config path of the journal plugin. */
    public static final String JOURNAL = "finitomata.persistence.file.journal";
    /** Config path of the snapshot store plugin. */
    public static final String SNAPSHOT_STORE = "finitomata.persistence.file.snapshot-store";

    private FilePersistence() {
    }

    /**
     * Configuration making the file journal and snapshot store Pekko's defaults, under {@code dir}
     * ({@code dir/journal} and {@code dir/snapshots}); use it as the first fallback of your configuration. The
     * journal is started with the ActorSystem, so its startup scan is done before the first FSM needs it.
     */
    public static Config config(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return ConfigFactory.empty()
                .withValue("pekko.persistence.journal.plugin", ConfigValueFactory.fromAnyRef(JOURNAL))
                .withValue("pekko.persistence.snapshot-store.plugin", ConfigValueFactory.fromAnyRef(SNAPSHOT_STORE))
                .withValue(JOURNAL + ".dir", ConfigValueFactory.fromAnyRef(dir.resolve("journal").toString()))
                .withValue(SNAPSHOT_STORE + ".dir", ConfigValueFactory.fromAnyRef(dir.resolve("snapshots").toString()))
                .withValue("pekko.persistence.journal.auto-start-journals",
                        ConfigValueFactory.fromIterable(java.util.List.of(JOURNAL)));
    }
}
