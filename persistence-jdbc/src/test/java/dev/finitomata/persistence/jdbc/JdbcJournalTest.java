package dev.finitomata.persistence.jdbc;

import com.typesafe.config.Config;
import dev.finitomata.persistence.tck.JournalContract;

/** pekko-persistence-jdbc on a real PostgreSQL, in the setup {@link JdbcPersistence} makes, against the journal contract. */
class JdbcJournalTest extends JournalContract {

    @Override
    protected Config config() {
        EmbeddedPg pg = EmbeddedPg.shared();
        return pg.config(pg.freshDatabase("journal"));
    }

    @Override
    protected boolean supportsRejectingNonSerializableObjects() {
        return true;
    }

    @Override
    protected boolean supportsMetadata() {
        return true; // pekko-persistence-jdbc 1.1 has meta_payload columns
    }
}
