package dev.finitomata.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.RecordingFsm;
import dev.finitomata.StartResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev PostgreSQL is durable (fsync and synchronous_commit on) and keeps its data across restarts. */
class DevPostgresTest {

    @TempDir
    Path dir;

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String setting(DevPostgres db, String name) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), DevPostgres.USER, DevPostgres.PASSWORD);
             ResultSet rs = c.createStatement().executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static ActorTestKit app(DevPostgres db) {
        return ActorTestKit.create("dev-postgres", db.config().withFallback(ConfigFactory.parseString(
                "pekko.loglevel = WARNING")).withFallback(ConfigFactory.load()));
    }

    @Test
    void durableAndKeptAcrossRestarts() throws Exception {
        Path data = dir.resolve("db");
        try (DevPostgres db = DevPostgres.start(data)) {
            assertEquals("on", setting(db, "fsync"));
            assertEquals("on", setting(db, "synchronous_commit"));
            ActorTestKit kit = app(db);
            try {
                Finitomata<Counter> orders = Finitomata.create(kit.system(), "orders", RecordingFsm.class,
                        RecordingFsm::new);
                assertEquals(StartResult.STARTED, await(orders.start("order-1", new Counter(7))));
                await(orders.transitionAndWait("order-1", "start", null));
            } finally {
                kit.shutdownTestKit();
            }
        }
        try (DevPostgres db = DevPostgres.start(data)) { // the application starts again
            ActorTestKit kit = app(db);
            try {
                Finitomata<Counter> orders = Finitomata.create(kit.system(), "orders", RecordingFsm.class,
                        RecordingFsm::new);
                assertEquals(StartResult.LOADED, await(orders.start("order-1", new Counter(0))));
                assertEquals("working", await(orders.state("order-1")).orElseThrow().current());
                assertEquals(new Counter(7), await(orders.state("order-1")).orElseThrow().payload());
            } finally {
                kit.shutdownTestKit();
            }
        }
    }
}
