package dev.finitomata.persistence.jdbc;

import com.typesafe.config.Config;
import dev.finitomata.FsmRuntimeContract;

/** The runtime contract with every transition in PostgreSQL (synchronous commit) through pekko-persistence-jdbc. */
class JdbcRuntimeTest extends FsmRuntimeContract {

    @Override
    protected Config persistenceConfig() {
        EmbeddedPg pg = EmbeddedPg.shared();
        return pg.config(pg.freshDatabase("runtime"));
    }
}
