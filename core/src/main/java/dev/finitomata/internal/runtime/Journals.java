package dev.finitomata.internal.runtime;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;

/**
 * INTERNAL API. What the runtime asks of the configured journal and snapshot store directly, through Pekko's
 * journal protocol, rather than through an FSM's own recovery: erasing an FSM.
 */
public final class Journals {

    private Journals() {
    }

    /** Erases the events and snapshots of {@code persistenceId} through the configured journal and snapshot store. */
    public static CompletionStage<Done> deletePersisted(ActorSystem<?> system, FsmSettings settings,
                                                        String persistenceId) {
        Persistence persistence = Persistence.get(Adapter.toClassic(system));
        ActorRef journal = persistence.journalFor(settings.journalPluginId(), ConfigFactory.empty());
        ActorRef snapshots = persistence.snapshotStoreFor(settings.snapshotPluginId(), ConfigFactory.empty());
        Duration timeout = settings.askTimeout();
        CompletionStage<Object> events = Patterns.askWithReplyTo(journal,
                ref -> new JournalProtocol.DeleteMessagesTo(persistenceId, Long.MAX_VALUE, ref), timeout);
        CompletionStage<Object> snaps = Patterns.ask(snapshots, new SnapshotProtocol.DeleteSnapshots(persistenceId,
                SnapshotSelectionCriteria.latest()), timeout);
        return events.thenCombine(snaps, (e, s) -> {
            if (!(e instanceof DeleteMessagesSuccess)) {
                throw new IllegalStateException("deleting the events of " + persistenceId + " failed: " + e);
            }
            if (!(s instanceof DeleteSnapshotsSuccess)) {
                throw new IllegalStateException("deleting the snapshots of " + persistenceId + " failed: " + s);
            }
            return Done.getInstance();
        });
    }
}
