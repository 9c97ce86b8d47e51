package dev.finitomata.persistence.jdbc;

import com.typesafe.config.Config;
import dev.finitomata.persistence.tck.SnapshotStoreContract;

/** pekko-persistence-jdbc's snapshot store on a real PostgreSQL against the snapshot store contract. */
class JdbcSnapshotStoreTest extends SnapshotStoreContract {

    @Override
    protected Config config() {
        EmbeddedPg pg = EmbeddedPg.shared();
        return pg.config(pg.freshDatabase("snapshots"));
    }
}
