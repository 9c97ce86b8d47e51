package dev.finitomata.internal.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * INTERNAL API. A durable map from FSM names to values, kept in the FSMs' own journal by an event-sourced actor: the
 * local facade's wake index ({@code fsm-wakes|<id>}) and the cluster's sleep registers
 * ({@code fsm-sleeps|<id>|<shard>}).
 *
 * <p>Design: its owner gathers changes and writes them as one event per write ({@link IndexWrites}); a value that the
 * {@link Format} calls a removal deletes its name. The state is snapshotted once the events since the last snapshot
 * hold as many changes as it has names (and at least 10,000), so a recovery reads at most about twice the map. On
 * recovery the owner receives a copy of the map ({@link Recovered}). A write that fails restarts the actor from its
 * journal with backoff (logging nothing itself, as an FSM does); the owner's ask for it fails, and the owner warns.
 *
 * @param <V> the value per name
 * @param <E> the event: one write, and also the snapshot's form
 */
public final class IndexLog<V, E> extends EventSourcedBehavior<IndexLog.Command<V>, E, IndexLog.Index<V>> {

    /** What the log is told. */
    public sealed interface Command<V> permits Write {
    }

    /** Persists {@code changes} (name to value, or a removal), then answers {@code replyTo}. */
    public record Write<V>(Map<String, V> changes, ActorRef<Written> replyTo) implements Command<V> {
    }

    /** {@link Write} is done. */
    public record Written() {
    }

    /** The map once recovered, as the owner receives it (a copy). */
    public record Recovered<V>(Map<String, V> entries) {
    }

    /** How the values are written. */
    public interface Format<V, E> {
        /** The event of one write (or of a snapshot: every name). */
        E event(Map<String, V> changes);

        /** The changes an event holds. */
        Map<String, V> changes(E event);

        /** Whether {@code value} deletes its name. */
        boolean removes(V value);
    }

    /** The names and their values; mutated in place, by this actor only (the snapshot takes a copy). */
    public static final class Index<V> {
        final Map<String, V> entries = new HashMap<>();
        long changesSinceSnapshot;
    }

    /** The owner's adapter for {@link Recovered}: {@code wrap} makes the owner's message of the recovered map. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <V, M> ActorRef<Recovered<V>> onRecovered(ActorContext<M> owner, Function<Map<String, V>, M> wrap) {
        ActorRef adapter = owner.messageAdapter(Recovered.class, r -> wrap.apply((Map<String, V>) r.entries()));
        return adapter;
    }

    private final FsmSettings settings;
    private final Format<V, E> format;
    private final ActorRef<Recovered<V>> recovered;

    public IndexLog(String persistenceId, FsmSettings settings, Format<V, E> format, ActorRef<Recovered<V>> recovered) {
        super(PersistenceId.ofUniqueId(persistenceId), SupervisorStrategy.restartWithBackoff(
                settings.restartMinBackoff(), settings.restartMaxBackoff(), settings.restartRandomFactor())
                .withLoggingEnabled(false)); // as the FSMs' own: the owner hears of a failed write, and says so
        this.settings = settings;
        this.format = format;
        this.recovered = recovered;
    }

    @Override
    public Index<V> emptyState() {
        return new Index<>();
    }

    @Override
    public CommandHandler<Command<V>, E, Index<V>> commandHandler() {
        return (index, command) -> switch (command) {
            case Write<V> w -> Effect().persist(format.event(w.changes())).thenReply(w.replyTo(), s -> new Written());
        };
    }

    @Override
    public EventHandler<Index<V>, E> eventHandler() {
        return (index, event) -> {
            Map<String, V> changes = format.changes(event);
            changes.forEach((name, value) -> {
                if (format.removes(value)) {
                    index.entries.remove(name);
                } else {
                    index.entries.put(name, value);
                }
            });
            index.changesSinceSnapshot += changes.size();
            return index;
        };
    }

    @Override
    public boolean shouldSnapshot(Index<V> index, E event, long sequenceNr) {
        if (index.changesSinceSnapshot >= Math.max(10_000, index.entries.size())) {
            index.changesSinceSnapshot = 0;
            return true;
        }
        return false;
    }

    @Override
    public SnapshotAdapter<Index<V>> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(Index<V> index) {
                return format.event(new HashMap<>(index.entries));
            }

            @Override
            @SuppressWarnings("unchecked")
            public Index<V> fromJournal(Object from) {
                Index<V> index = new Index<>();
                index.entries.putAll(format.changes((E) from));
                return index;
            }
        };
    }

    @Override
    public SignalHandler<Index<V>> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(),
                index -> recovered.tell(new Recovered<>(new HashMap<>(index.entries)))).build();
    }

    @Override
    public String journalPluginId() {
        return settings.journalPluginId();
    }

    @Override
    public String snapshotPluginId() {
        return settings.snapshotPluginId();
    }
}
