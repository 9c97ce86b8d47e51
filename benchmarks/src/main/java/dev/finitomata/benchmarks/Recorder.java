package dev.finitomata.benchmarks;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/** A minimal hand-written event-sourced actor: persists each value it is sent and remembers the last one. */
final class Recorder extends EventSourcedBehavior<Recorder.Record, Integer, Integer> {

    /** Persist {@code value}, then reply Done. */
    record Record(int value, ActorRef<Done> replyTo) {
    }

    private final String journal;

    private Recorder(String id, String journal) {
        super(PersistenceId.ofUniqueId(id));
        this.journal = journal;
    }

    static Behavior<Record> create(String id, String journalPluginId) {
        return new Recorder(id, journalPluginId);
    }

    @Override
    public String journalPluginId() {
        return journal;
    }

    @Override
    public Integer emptyState() {
        return 0;
    }

    @Override
    public CommandHandler<Record, Integer, Integer> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Record.class, (state, cmd) -> Effect().persist(cmd.value())
                        .thenReply(cmd.replyTo(), s -> Done.getInstance()))
                .build();
    }

    @Override
    public EventHandler<Integer, Integer> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> event);
    }
}
