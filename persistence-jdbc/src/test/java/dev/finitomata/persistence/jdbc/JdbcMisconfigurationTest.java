package dev.finitomata.persistence.jdbc;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.StoreChecks;
import java.net.ServerSocket;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/**
 * JDBC settings that cannot work fail the first call within a second, saying why and which key chose the journal,
 * instead of waiting out the ask timeout: the journal named without its database settings, and a database that is not
 * there (a real connection attempt to a loopback port nobody listens on).
 */
class JdbcMisconfigurationTest {

    private static void firstCallFailsAtOnce(Config settings, String... says) throws Exception {
        ActorTestKit kit = ActorTestKit.create("jdbc-misconfigured", settings.withFallback(ConfigFactory.parseString(
                "pekko.loglevel = OFF")).withFallback(ConfigFactory.load()));
        try {
            StoreChecks.firstStartFailsAtOnce(kit.system(), says);
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void theJdbcJournalWithoutItsDatabaseSettings() throws Exception {
        firstCallFailsAtOnce(ConfigFactory.parseString("""
                finitomata.journal-plugin = "jdbc-journal"
                finitomata.snapshot-plugin = "jdbc-snapshot-store"
                """), "the journal 'jdbc-journal' (from finitomata.journal-plugin) does not work",
                "no JDBC URL: jdbc-journal.slick.db.url is not set", "JdbcPersistence.config(url, user, password)");
    }

    @Test
    void aDatabaseThatIsNotThere() throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0)) {
            closed = free.getLocalPort(); // nobody listens there once it is closed
        }
        firstCallFailsAtOnce(JdbcPersistence.config("jdbc:postgresql://127.0.0.1:" + closed + "/fsm", "fsm", "fsm"),
                "the journal 'jdbc-journal' (from finitomata.journal-plugin) does not work", "127.0.0.1:" + closed);
    }
}
