package dev.finitomata.persistence.ets;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.persistence.tck.JournalContract;
import org.junit.jupiter.api.Nested;

/** The ETS journal against the journal contract, with serialization off (the default) and on. */
class EtsJournalTest {

    static Config etsConfig(String table, boolean serialize) {
        return ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "finitomata.persistence.ets.journal"
                pekko.persistence.snapshot-store.plugin = "finitomata.persistence.ets.snapshot-store"
                finitomata.persistence.ets.journal.table = "%1$s"
                finitomata.persistence.ets.journal.serialize = %2$s
                finitomata.persistence.ets.snapshot-store.table = "%1$s"
                finitomata.persistence.ets.snapshot-store.serialize = %2$s
                """.formatted(table, serialize ? "on" : "off"));
    }

    @Nested
    class SerializeOff extends JournalContract {
        @Override
        protected Config config() {
            return etsConfig("journal-test-off", false);
        }

        @Override
        protected boolean supportsMetadata() {
            return true;
        }
    }

    @Nested
    class SerializeOn extends JournalContract {
        @Override
        protected Config config() {
            return etsConfig("journal-test-on", true);
        }

        @Override
        protected boolean supportsRejectingNonSerializableObjects() {
            return true;
        }

        @Override
        protected boolean supportsMetadata() {
            return true;
        }
    }
}
