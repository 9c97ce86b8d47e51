package dev.finitomata.internal.query;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.finitomata.internal.runtime.FsmSettings;

/**
 * INTERNAL API. Which read journal (Pekko Persistence Query plugin) reads what the FSMs' journal wrote:
 * {@code finitomata.read-journal-plugin} when set, else the entry for the journal plugin in
 * {@code finitomata.read-journals}, where each store module lists its own (ETS, file, pekko-persistence-jdbc).
 */
public final class ReadJournals {

    private ReadJournals() {
    }

    /**
     * The read journal plugin id for the journal {@code settings} name, or null when none is known.
     *
     * @param config the ActorSystem's configuration
     */
    public static String pluginFor(Config config, FsmSettings settings) {
        String explicit = config.getString("finitomata.read-journal-plugin");
        if (!explicit.isEmpty()) {
            return explicit;
        }
        ConfigValue known = config.getObject("finitomata.read-journals").get(journalPlugin(config, settings));
        return known != null && known.valueType() == ConfigValueType.STRING ? (String) known.unwrapped() : null;
    }

    /** The journal plugin id the FSMs write to ({@code finitomata.journal-plugin}, else Pekko's default). */
    public static String journalPlugin(Config config, FsmSettings settings) {
        return settings.journalPluginId().isEmpty() ? config.getString("pekko.persistence.journal.plugin")
                : settings.journalPluginId();
    }

    /** Why there is no history: names the journal and the setting that fixes it. */
    public static String missing(Config config, FsmSettings settings) {
        return "no read journal (Pekko Persistence Query) is known for the journal plugin '"
                + journalPlugin(config, settings) + "', so FSM histories cannot be read: set "
                + "finitomata.read-journal-plugin to the config path of a read journal for it (the ETS, file and "
                + "JDBC stores set theirs; Pekko's inmem journal has none)";
    }
}
