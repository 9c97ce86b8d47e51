package dev.finitomata.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.typesafe.config.Config;
import dev.finitomata.ApiSurface;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcPersistenceTest {

    @Test
    void theSchemaIsCreatedOnAFreshDatabaseAndAgainWithoutHarm() throws Exception {
        EmbeddedPg pg = EmbeddedPg.shared();
        String database = pg.freshDatabase("schema"); // created once here
        JdbcPersistence.createSchema(pg.url(database), EmbeddedPg.USER, EmbeddedPg.PASSWORD); // and again
        try (Connection c = DriverManager.getConnection(pg.url(database), EmbeddedPg.USER, EmbeddedPg.PASSWORD);
             Statement s = c.createStatement();
             ResultSet tables = s.executeQuery("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM "
                     + "information_schema.tables WHERE table_schema = 'public'")) {
            tables.next();
            assertEquals("event_journal,event_tag,snapshot", tables.getString(1));
        }
        assertEquals(4, JdbcPersistence.schemaStatements().size()); // journal, its ordering index, tags, snapshots
        assertTrue(JdbcPersistence.schemaStatements().stream().noneMatch(st -> st.contains("CONCURRENTLY")));
    }

    @Test
    void theConfigPointsFsmsAndPekkoDefaultsAtOneSharedPool() {
        Config config = JdbcPersistence.config("jdbc:postgresql://db:5432/fsm", "fsm", "secret", 8);
        assertEquals("jdbc-journal", config.getString("finitomata.journal-plugin"));
        assertEquals("jdbc-journal", config.getString("pekko.persistence.journal.plugin"));
        assertEquals("jdbc-snapshot-store", config.getString("pekko.persistence.snapshot-store.plugin"));
        assertEquals("finitomata", config.getString("jdbc-journal.use-shared-db"));
        assertEquals(8, config.getInt("pekko-persistence-jdbc.shared-databases.finitomata.db.maxConnections"));
        assertEquals("jdbc:postgresql://db:5432/fsm",
                config.getString("pekko-persistence-jdbc.shared-databases.finitomata.db.url"));
    }

    @Test
    void badInputIsRefusedClearly() {
        IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
                () -> JdbcPersistence.config("jdbc:mysql://db/fsm", "u", "p"));
        assertTrue(url.getMessage().contains("is not a PostgreSQL JDBC URL"), url.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JdbcPersistence.config("jdbc:postgresql://db/f", "u",
                "p", 0));
        IllegalStateException unreachable = assertThrows(IllegalStateException.class,
                () -> JdbcPersistence.createSchema("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "u", "p"));
        assertTrue(unreachable.getMessage().startsWith("cannot connect to jdbc:postgresql://127.0.0.1:1/none"),
                unreachable.getMessage());
    }

    @Test
    void thePublicApiNamesNoInternalType() {
        assertEquals(List.of(), ApiSurface.fencesBroken(JdbcPersistence.class));
    }
}
