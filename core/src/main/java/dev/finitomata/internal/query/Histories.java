package dev.finitomata.internal.query;

import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.Retry;
import dev.finitomata.internal.engine.FsmDecider;
import dev.finitomata.internal.engine.HardRetries;
import dev.finitomata.internal.protocol.Event;
import dev.finitomata.internal.protocol.ForkPending;
import dev.finitomata.internal.runtime.Forks;
import dev.finitomata.internal.runtime.FsmType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;

/**
 * INTERNAL API. {@code FsmSupervisor.history}: the FSM's events, read through the read journal of its store
 * ({@link ReadJournals}) and folded into its current (or last) life.
 *
 * <p>Design: one pass over {@code currentEventsByPersistenceId}, keeping only the life being read: a transition from
 * {@code "*"} (a new start) or an erasure tombstone forgets what came before, so a finished FSM answers its last
 * life until it is started again or deleted. Transitions and migrations are entries; the other marks (payload
 * updates, delays, stops, resumes) are not. Nothing goes through the FSM's actor, so it answers whether the FSM
 * runs, sleeps, was stopped, or has not been started since a restart.
 */
public final class Histories {

    private Histories() {
    }

    /** The history of {@code name}: an empty list for a name never started. */
    public static <P> CompletionStage<List<FsmHistoryEntry<P>>> read(ActorSystem<?> system, FsmType type,
                                                                     String name) {
        String plugin = ReadJournals.pluginFor(system.settings().config(), type.settings());
        if (plugin == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    ReadJournals.missing(system.settings().config(), type.settings())));
        }
        return type.persistenceIdAsync(name).thenCompose(persistenceId -> {
            CurrentEventsByPersistenceIdQuery journal = PersistenceQuery.get(Adapter.toClassic(system))
                    .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, plugin);
            return journal.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
                    .runFold(new ArrayList<FsmHistoryEntry<P>>(), Histories::add, system);
        }).<List<FsmHistoryEntry<P>>>thenApply(List::copyOf).exceptionallyCompose(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            return CompletableFuture.failedFuture(new IllegalStateException("cannot read the history of FSM '"
                    + name + "' through the read journal '" + plugin + "': " + cause, cause));
        });
    }

    @SuppressWarnings("unchecked")
    private static <P> ArrayList<FsmHistoryEntry<P>> add(ArrayList<FsmHistoryEntry<P>> life, EventEnvelope e) {
        switch (e.event()) {
            case Event.Transitioned t -> {
                if (t.from().equals("*")) {
                    life.clear();
                }
                life.add(new FsmHistoryEntry<>(e.sequenceNr(), at(t.committedAt(), e.timestamp()), t.from(),
                        t.event(), t.to(), (P) t.payload()));
            }
            case Event.Migrated m -> life.add(new FsmHistoryEntry<>(e.sequenceNr(), at(0, e.timestamp()), m.from(),
                    FsmDecider.MIGRATE_EVENT, m.to(), (P) m.payload()));
            case Event.DelayScheduled retry when retry.id().startsWith(HardRetries.PREFIX) && !life.isEmpty()
                    && retry.eventPayload() instanceof Retry.Attempt attempt -> {
                FsmHistoryEntry<P> last = life.get(life.size() - 1); // the state the failed attempt stays in
                life.add(new FsmHistoryEntry<>(e.sequenceNr(), attempt.lastFailedAt() != null
                        ? attempt.lastFailedAt() : at(0, e.timestamp()), last.to(), HardRetries.HISTORY_EVENT,
                        last.to(), last.payload()));
            }
            case Event.DelayScheduled fork when Forks.isFork(fork.id()) && !life.isEmpty()
                    && fork.eventPayload() instanceof ForkPending child -> {
                FsmHistoryEntry<P> last = life.get(life.size() - 1); // the state that forked it, just entered
                life.add(new FsmHistoryEntry<>(e.sequenceNr(), last.at(), last.to(), Forks.historyEvent(child),
                        last.to(), last.payload()));
            }
            case Event.Erased erased -> life.clear();
            default -> {
            }
        }
        return life;
    }

    private static Instant at(long committed, long stored) {
        return Instant.ofEpochMilli(committed > 0 ? committed : Math.max(stored, 0));
    }
}
