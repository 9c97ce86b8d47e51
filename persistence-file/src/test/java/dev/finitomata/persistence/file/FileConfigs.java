package dev.finitomata.persistence.file;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Test configurations of the file store in fresh temporary directories. */
final class FileConfigs {

    private FileConfigs() {
    }

    /** A fresh directory, deleted when the test JVM exits (tests reopen stores in it, so not after each test). */
    static Path freshDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory("finitomata-" + prefix + "-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort, at exit
        }
    }

    static Config config(Path dir) {
        return FilePersistence.config(dir)
                .withFallback(ConfigFactory.parseString("finitomata.persistence.file.journal.compaction.interval = 1h"));
    }
}
