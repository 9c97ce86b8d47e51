package dev.finitomata.persistence.file;

import com.typesafe.config.Config;
import dev.finitomata.persistence.tck.JournalContract;

/** The file journal against the journal contract (Pekko TCK semantics), serialization always on. */
class FileJournalTest extends JournalContract {

    @Override
    protected Config config() {
        return FileConfigs.config(FileConfigs.freshDir("journal-tck"));
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
