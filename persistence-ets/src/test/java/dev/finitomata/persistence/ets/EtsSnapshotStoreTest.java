package dev.finitomata.persistence.ets;

import com.typesafe.config.Config;
import dev.finitomata.persistence.tck.SnapshotStoreContract;
import org.junit.jupiter.api.Nested;

/** The ETS snapshot store against the snapshot store contract, with serialization off and on. */
class EtsSnapshotStoreTest {

    @Nested
    class SerializeOff extends SnapshotStoreContract {
        @Override
        protected Config config() {
            return EtsJournalTest.etsConfig("snapshot-test-off", false);
        }
    }

    @Nested
    class SerializeOn extends SnapshotStoreContract {
        @Override
        protected Config config() {
            return EtsJournalTest.etsConfig("snapshot-test-on", true);
        }
    }
}
