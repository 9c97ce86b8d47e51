package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.Finitomata;
import dev.finitomata.StartResult;
import dev.finitomata.persistence.jdbc.DevPostgres;
import dev.finitomata.persistence.jdbc.JdbcPersistence;
import java.nio.file.Path;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/persistence.md's development database and cluster.md's schema (DocsTest checks the quotes). */
class DevDatabaseExampleTest {

    @Test
    void anApplicationOnTheDevDatabase(@TempDir Path dir) throws Exception {
        try (DevPostgres db = DevPostgres.start(dir.resolve("db"))) {
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "app",
                    db.config().withFallback(ConfigFactory.load()));
            try {
                Finitomata<Turnstile.Count> turnstiles = Finitomata.create(system, "turnstiles", Turnstile.class,
                        Turnstile::new);
                assertEquals(StartResult.STARTED, turnstiles.start("gate-1", new Turnstile.Count(0))
                        .toCompletableFuture().join());
            } finally {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().join();
            }
            String url = db.url();
            String user = DevPostgres.USER;
            String password = DevPostgres.PASSWORD;
            JdbcPersistence.createSchema(url, user, password); // idempotent: done already by DevPostgres.start
        }
    }
}
