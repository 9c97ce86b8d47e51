package dev.finitomata.persistence.file;

import com.typesafe.config.Config;
import dev.finitomata.persistence.tck.SnapshotStoreContract;

/** The file snapshot store against the snapshot store contract (Pekko TCK semantics). */
class FileSnapshotStoreTest extends SnapshotStoreContract {

    @Override
    protected Config config() {
        return FileConfigs.config(FileConfigs.freshDir("snapshot-tck"));
    }
}
