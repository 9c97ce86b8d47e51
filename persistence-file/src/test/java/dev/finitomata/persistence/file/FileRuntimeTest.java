package dev.finitomata.persistence.file;

import com.typesafe.config.Config;
import dev.finitomata.FsmRuntimeContract;

/** The runtime contract with every transition fsync'd to the file journal. */
class FileRuntimeTest extends FsmRuntimeContract {

    @Override
    protected Config persistenceConfig() {
        return FileConfigs.config(FileConfigs.freshDir("runtime"));
    }
}
