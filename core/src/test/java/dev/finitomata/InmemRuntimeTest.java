package dev.finitomata;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** The runtime contract on Pekko's inmem journal (events serialised) and the local snapshot store. */
class InmemRuntimeTest extends FsmRuntimeContract {

    @Override
    protected boolean readsHistory() {
        return false;
    }

    @Override
    protected Config persistenceConfig() {
        return ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                pekko.persistence.journal.inmem.test-serialization = on
                pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
                pekko.persistence.snapshot-store.local.dir = "target/snapshots-%d"
                """.formatted(System.nanoTime()));
    }
}
