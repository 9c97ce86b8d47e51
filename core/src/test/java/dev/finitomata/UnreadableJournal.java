package dev.finitomata;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;

/**
 * A journal plugin in front of any other: it forwards every request to its {@code target} plugin, except that it
 * fails the reads (replays) of the persistence ids broken with {@link #breakReads}, the way a journal fails whose disk
 * or database cannot be read. So a test can make one FSM unreadable on every store: Pekko's inmem journal, ETS, the
 * file journal, PostgreSQL, alone or in a cluster.
 *
 * <p>Design note: a plugin only has to be an actor that answers Pekko's journal protocol; writes, replays and deletes
 * all carry the persistent actor they answer to, so forwarding them keeps every answer where it was. The broken ids
 * are JVM-wide (every node of an in-JVM cluster shares them), as a broken disk would be.
 */
public final class UnreadableJournal extends AbstractActor {

    /** Config path of the plugin that {@link #around} puts in front of the configured journal. */
    public static final String PATH = "finitomata.test.unreadable-journal";
    private static final Map<String, RuntimeException> BROKEN = new ConcurrentHashMap<>();

    private final String target;
    private ActorRef journal;

    /** Created by Pekko with the plugin's configuration, which names the {@code target} plugin. */
    public UnreadableJournal(Config config) {
        this.target = config.getString("target");
    }

    /** {@code config} with this plugin in front of its journal (Pekko's default, or {@code finitomata.journal-plugin}). */
    public static Config around(Config config) {
        boolean named = !config.getString("finitomata.journal-plugin").isEmpty();
        String target = named ? config.getString("finitomata.journal-plugin")
                : config.getString("pekko.persistence.journal.plugin");
        Config wrapped = config
                .withValue(PATH + ".class", ConfigValueFactory.fromAnyRef(UnreadableJournal.class.getName()))
                .withValue(PATH + ".target", ConfigValueFactory.fromAnyRef(target))
                .withValue("pekko.persistence.journal.plugin", ConfigValueFactory.fromAnyRef(PATH));
        com.typesafe.config.ConfigValue reader = config.getObject("finitomata.read-journals").get(target);
        if (reader != null) { // histories are read by the target's read journal
            wrapped = wrapped.withValue(ConfigUtil.joinPath("finitomata", "read-journals", PATH), reader);
        }
        return named ? wrapped.withValue("finitomata.journal-plugin", ConfigValueFactory.fromAnyRef(PATH)) : wrapped;
    }

    /** From now on, every read of {@code persistenceId} fails with {@code cause}. */
    public static void breakReads(String persistenceId, RuntimeException cause) {
        BROKEN.put(persistenceId, cause);
    }

    /** Reads of {@code persistenceId} go through again. */
    public static void mendReads(String persistenceId) {
        BROKEN.remove(persistenceId);
    }

    @Override
    public void preStart() {
        journal = Persistence.get(getContext().getSystem()).journalFor(target, ConfigFactory.empty());
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(JournalProtocol.ReplayMessages.class, this::replay)
                .matchAny(m -> journal.forward(m, getContext()))
                .build();
    }

    private void replay(JournalProtocol.ReplayMessages replay) {
        RuntimeException cause = BROKEN.get(replay.persistenceId());
        if (cause == null) {
            journal.forward(replay, getContext());
        } else {
            replay.persistentActor().tell(new JournalProtocol.ReplayMessagesFailure(cause), getSelf());
        }
    }
}
