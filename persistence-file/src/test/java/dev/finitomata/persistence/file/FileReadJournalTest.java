package dev.finitomata.persistence.file;

import com.typesafe.config.Config;
import dev.finitomata.persistence.tck.ReadJournalContract;

/** The file store's read journal against the read journal contract. */
class FileReadJournalTest extends ReadJournalContract {

    @Override
    protected Config config() {
        return FileConfigs.config(FileConfigs.freshDir("read-journal-tck"));
    }

    @Override
    protected String readJournalPluginId() {
        return "finitomata.persistence.file.query";
    }
}
