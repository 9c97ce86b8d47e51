package dev.finitomata.persistence.file;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test configurations of the file store in fresh temporary directories. */
final class FileConfigs {

    private FileConfigs() {
    }

    static Path freshDir(String prefix) {
        try {
            return Files.createTempDirectory("finitomata-" + prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Config config(Path dir) {
        return FilePersistence.config(dir)
                .withFallback(ConfigFactory.parseString("finitomata.persistence.file.journal.compaction.interval = 1h"));
    }
}
