package dev.finitomata.internal.local;

import dev.finitomata.internal.protocol.WakesChanged;
import dev.finitomata.internal.runtime.FsmSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The durable wake index of one local supervisor: which of its FSMs have pending delayed transitions,
 * and when the earliest is due, so that after a JVM restart the supervisor wakes them when they fall due without the
 * application starting them (issue 26, point 3). It lives in the FSMs' own journal, under
 * {@code fsm-wakes|<supervisor id>}.
 *
 * <p>Design: the index is a hint, and the FSMs' journals win. An FSM remembers a delay before the write that schedules
 * it (so before any caller hears of it), and only when it is due earlier than what the index holds for it; it
 * forgets lazily (a later earliest, none left, its end). An entry that is stale after a crash costs a wake-up that
 * finds nothing due (or an FSM that does not run, which is then forgotten); one that is missing cannot happen for an
 * acknowledged delay. Nothing fires from the index itself: a woken FSM recovers from its journal and fires what is
 * due there, once, as it always does. The supervisor batches the FSMs' changes into one event per write ({@link
 * Write}); the state is snapshotted once the events since the last snapshot hold as many changes as it has names
 * (and at least 10,000), so a recovery reads at most about twice the index. One index per supervisor id and journal:
 * two JVMs running the same local supervisor id on one shared journal would write the same persistence id.
 */
final class WakeLog extends EventSourcedBehavior<WakeLog.Command, WakesChanged, WakeLog.Index> {

    /** What the log is told. */
    sealed interface Command {
    }

    /** Persists {@code changes} (name to due time, or FORGET), then answers {@code replyTo}. */
    record Write(Map<String, Long> changes, ActorRef<Written> replyTo) implements Command {
    }

    /** {@link Write} is done. */
    record Written() {
    }

    /** The index once recovered, as the supervisor receives it (a copy). */
    record Recovered(Map<String, Long> due) {
    }

    /** The names and their due times; mutated in place, by this actor only (the snapshot takes a copy). */
    static final class Index {
        final Map<String, Long> due = new HashMap<>();
        long changesSinceSnapshot;
    }

    private final FsmSettings settings;
    private final ActorRef<Recovered> recovered;

    WakeLog(String supervisorId, FsmSettings settings, ActorRef<Recovered> recovered) {
        super(PersistenceId.ofUniqueId("fsm-wakes|" + supervisorId), SupervisorStrategy
                .restartWithBackoff(settings.restartMinBackoff(), settings.restartMaxBackoff(),
                        settings.restartRandomFactor()));
        this.settings = settings;
        this.recovered = recovered;
    }

    @Override
    public Index emptyState() {
        return new Index();
    }

    @Override
    public CommandHandler<Command, WakesChanged, Index> commandHandler() {
        return (index, command) -> switch (command) {
            case Write w -> Effect().persist(new WakesChanged(w.changes())).thenReply(w.replyTo(), s -> new Written());
        };
    }

    @Override
    public EventHandler<Index, WakesChanged> eventHandler() {
        return (index, event) -> {
            event.due().forEach((name, due) -> {
                if (due == WakesChanged.FORGET) {
                    index.due.remove(name);
                } else {
                    index.due.put(name, due);
                }
            });
            index.changesSinceSnapshot += event.due().size();
            return index;
        };
    }

    @Override
    public boolean shouldSnapshot(Index index, WakesChanged event, long sequenceNr) {
        if (index.changesSinceSnapshot >= Math.max(10_000, index.due.size())) {
            index.changesSinceSnapshot = 0;
            return true;
        }
        return false;
    }

    @Override
    public SnapshotAdapter<Index> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(Index index) {
                return new WakesChanged(new HashMap<>(index.due));
            }

            @Override
            public Index fromJournal(Object from) {
                Index index = new Index();
                index.due.putAll(((WakesChanged) from).due());
                return index;
            }
        };
    }

    @Override
    public SignalHandler<Index> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(),
                index -> recovered.tell(new Recovered(new HashMap<>(index.due)))).build();
    }

    @Override
    public String journalPluginId() {
        return settings.journalPluginId();
    }

    @Override
    public String snapshotPluginId() {
        return settings.snapshotPluginId();
    }

    /**
     * Waits (on the FSM's thread) until {@code written} says that the index holds the FSM {@code name}'s delay due at
     * {@code due}; false, with a WARN, if the index could not take it within {@code timeout}.
     */
    static boolean awaitWritten(CompletableFuture<Void> written, Duration timeout, String name, long due) {
        try {
            written.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LoggerFactory.getLogger(WakeLog.class).warn("FSM '{}': its delayed transition due at {} could not be "
                    + "written to the wake index ({}): it fires while this node runs, but after a restart only once "
                    + "the FSM is started", name, Instant.ofEpochMilli(due), e.getCause() != null ? e.getCause() : e);
            return false;
        }
    }

    /** How long the supervisor waits for a write before it gives the FSMs waiting for it up (they warn). */
    static Duration writeTimeout(FsmSettings settings) {
        return settings.askTimeout();
    }
}
