package dev.finitomata.samples;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.persistence.file.internal.FileStore;
import java.nio.file.Path;
import java.time.Duration;

/** The file journal and snapshot store in one directory, for the tests that restart ActorSystems on the same files. */
final class FileJournalDir {

    /** The store's settings, to open the journal's files directly while no ActorSystem uses them. */
    static final FileStore.Settings SETTINGS = new FileStore.Settings(64L << 20, FileStore.Fsync.ALWAYS,
            Duration.ofMillis(10), 0.5, "finitomata.persistence.file.journal.dir");

    private FileJournalDir() {
    }

    /** {@code extra}, over the file journal in {@code dir}, over the application's configuration. */
    static Config config(Path dir, String extra) {
        return ConfigFactory.parseString(extra).withFallback(ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "finitomata.persistence.file.journal"
                pekko.persistence.snapshot-store.plugin = "finitomata.persistence.file.snapshot-store"
                finitomata.persistence.file.journal.dir = "%s"
                finitomata.persistence.file.snapshot-store.dir = "%s"
                """.formatted(dir.resolve("journal"), dir.resolve("snapshots")))).withFallback(ConfigFactory.load());
    }
}
