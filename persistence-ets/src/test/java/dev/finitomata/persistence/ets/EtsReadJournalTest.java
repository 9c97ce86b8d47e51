package dev.finitomata.persistence.ets;

import com.typesafe.config.Config;
import dev.finitomata.persistence.tck.ReadJournalContract;
import org.junit.jupiter.api.Nested;

/** The ETS read journal against the read journal contract, with serialization off (the default) and on. */
class EtsReadJournalTest {

    @Nested
    class SerializeOff extends ReadJournalContract {
        @Override
        protected Config config() {
            return EtsJournalTest.etsConfig("read-journal-test-off", false);
        }

        @Override
        protected String readJournalPluginId() {
            return "finitomata.persistence.ets.query";
        }
    }

    @Nested
    class SerializeOn extends ReadJournalContract {
        @Override
        protected Config config() {
            return EtsJournalTest.etsConfig("read-journal-test-on", true);
        }

        @Override
        protected String readJournalPluginId() {
            return "finitomata.persistence.ets.query";
        }
    }
}
