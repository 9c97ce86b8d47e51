package dev.finitomata.persistence.jdbc;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finitomata on PostgreSQL through pekko-persistence-jdbc: the journal every node of a cluster shares.
 *
 * <pre>{@code
 * JdbcPersistence.createSchema(url, user, password);            // once per database; idempotent
 * Config config = JdbcPersistence.config(url, user, password)   // the journal, the snapshot store, the pool
 *         .withFallback(ConfigFactory.load());
 * ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "fsm", config);
 * }</pre>
 *
 * <p>{@link #config} makes pekko-persistence-jdbc Pekko's default journal and snapshot store, so that the FSMs
 * <em>and</em> Cluster Sharding's remembered entities ({@code Infinitomata}) are stored there, over one shared
 * connection pool per node. It also sizes what pekko-persistence-jdbc's defaults make too small for many FSMs (the
 * journal's write queue: with its default of 1,000 batches, a burst of writes from more than 1,000 FSMs fails in
 * the journal). See docs/persistence.md for each setting and the sizing of the pool.
 */
public final class JdbcPersistence {

    /** Config path of pekko-persistence-jdbc's journal plugin. */
    public static final String JOURNAL = "jdbc-journal";
    /** Config path of pekko-persistence-jdbc's snapshot store plugin. */
    public static final String SNAPSHOT_STORE = "jdbc-snapshot-store";
    /** The name of the connection pool the plugins share, under {@code pekko-persistence-jdbc.shared-databases}. */
    public static final String SHARED_DATABASE = "finitomata";
    /** Connections per node (and threads running statements): enough for hundreds of concurrent writers. */
    public static final int DEFAULT_POOL_SIZE = 20;

    private static final String SCHEMA = "postgres-schema.sql";

    private JdbcPersistence() {
    }

    /**
     * The configuration that stores FSMs (and a cluster's remembered entities) in the PostgreSQL database at
     * {@code url}, with a pool of {@value #DEFAULT_POOL_SIZE} connections per node. Use it as the first fallback
     * of your configuration; override any key after it.
     *
     * @param url      a JDBC URL such as {@code jdbc:postgresql://db:5432/fsm}
     * @throws IllegalArgumentException if {@code url} is not a {@code jdbc:postgresql:} URL
     * @throws NullPointerException     if an argument is null
     */
    public static Config config(String url, String user, String password) {
        return config(url, user, password, DEFAULT_POOL_SIZE);
    }

    /** As {@link #config(String, String, String)}, with {@code poolSize} connections per node. */
    public static Config config(String url, String user, String password, int poolSize) {
        checkUrl(url);
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
        }
        Config db = ConfigFactory.parseMap(Map.of(
                "url", url, "user", user, "password", password, "driver", "org.postgresql.Driver",
                "numThreads", poolSize, "maxConnections", poolSize, "minConnections", poolSize,
                "queueSize", 100_000, "connectionTimeout", 1_000)); // see docs/cluster.md, Outages
        return ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "%1$s"
                pekko.persistence.snapshot-store.plugin = "%2$s"
                finitomata.journal-plugin = "%1$s"
                finitomata.snapshot-plugin = "%2$s"
                pekko-persistence-jdbc.shared-databases.%3$s.profile = "slick.jdbc.PostgresProfile$"
                %1$s.use-shared-db = "%3$s"
                %2$s.use-shared-db = "%3$s"
                jdbc-read-journal.use-shared-db = "%3$s"
                jdbc-durable-state-store.use-shared-db = "%3$s"
                # pekko-persistence-jdbc queues at most bufferSize write batches (default 1,000) and fails the writes
                # beyond: with thousands of FSMs writing at once (a start, a failover), that is too few
                %1$s.bufferSize = 100000
                # the same journal, replaying with one statement instead of a stream per recovery (1.2-1.3x the
                # stock replay's recoveries/s: -Dbench=Jdbc, docs/BENCHMARKS.md)
                %1$s.class = "dev.finitomata.persistence.jdbc.internal.DirectReplayJdbcJournal"
                # after a database outage, Pekko's circuit breakers refuse every call for reset-timeout (journal 30 s,
                # snapshot store 60 s) before they try the database again: FSMs stayed unwritable that long after it
                # was back. With 250 ms, one call tries it four times a second while it is down (with 1 s, a trial
                # that met the database still starting up kept it shut a second more: docs/cluster.md, Outages).
                %1$s.circuit-breaker.reset-timeout = 250ms
                %2$s.circuit-breaker.reset-timeout = 250ms
                """.formatted(JOURNAL, SNAPSHOT_STORE, SHARED_DATABASE))
                .withValue("pekko-persistence-jdbc.shared-databases." + SHARED_DATABASE + ".db", db.root());
    }

    /**
     * Creates the tables and indexes pekko-persistence-jdbc needs, unless they exist (safe to call at every start,
     * from every node). Runs each statement on its own (no transaction), as PostgreSQL requires for some DDL.
     *
     * @throws IllegalStateException naming the statement, if the database refuses one
     */
    public static void createSchema(String url, String user, String password) {
        checkUrl(url);
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            createSchema(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + url + " as '" + user + "' to create the "
                    + "Finitomata schema: " + e.getMessage(), e);
        }
    }

    /** As {@link #createSchema(String, String, String)}, on {@code connection} (left open, in auto-commit mode). */
    public static void createSchema(Connection connection) {
        Objects.requireNonNull(connection, "connection");
        for (String statement : schemaStatements()) {
            try (Statement s = connection.createStatement()) {
                connection.setAutoCommit(true);
                s.execute(statement);
            } catch (SQLException e) {
                throw new IllegalStateException("the database refused a statement of the Finitomata schema ("
                        + e.getMessage() + "): " + statement, e);
            }
        }
    }

    /** The statements of the schema, in order (also in docs/persistence.md, for a DBA). */
    public static List<String> schemaStatements() {
        String script;
        try (InputStream in = JdbcPersistence.class.getResourceAsStream(SCHEMA)) {
            script = new String(Objects.requireNonNull(in, SCHEMA).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.isBlank() || line.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                statements.add(current.toString().strip().replaceAll(";$", ""));
                current.setLength(0);
            }
        }
        return List.copyOf(statements);
    }

    private static void checkUrl(String url) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("'" + url + "' is not a PostgreSQL JDBC URL: use "
                    + "jdbc:postgresql://<host>:<port>/<database>");
        }
    }
}
