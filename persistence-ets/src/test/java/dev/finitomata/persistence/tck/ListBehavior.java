package dev.finitomata.persistence.tck;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A hand-written event-sourced actor appending integers to a list, used to drive journals end to end. Its state is
 * bound to Jackson (this test-jar's reference.conf), so that stores which serialize snapshots can save them.
 */
public final class ListBehavior extends EventSourcedBehavior<ListBehavior.Command, Integer, ListBehavior.State> {

    /** The state: the integers appended so far, in order. */
    public record State(List<Integer> items) {
    }

    /** Commands. */
    public sealed interface Command {
    }

    /** Persist {@code value}, then reply. */
    public record Append(int value, ActorRef<Done> replyTo) implements Command {
    }

    /** Reply with the list. */
    public record Get(ActorRef<List<Integer>> replyTo) implements Command {
    }

    private final int snapshotEvery;

    private ListBehavior(String id, int snapshotEvery) {
        super(PersistenceId.ofUniqueId(id));
        this.snapshotEvery = snapshotEvery;
    }

    /** A list actor persisted under {@code id}; snapshots every {@code snapshotEvery} events (0: never). */
    public static Behavior<Command> create(String id, int snapshotEvery) {
        return new ListBehavior(id, snapshotEvery);
    }

    @Override
    public State emptyState() {
        return new State(List.of());
    }

    @Override
    public CommandHandler<Command, Integer, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Append.class, (state, cmd) -> Effect().persist(cmd.value())
                        .thenReply(cmd.replyTo(), s -> Done.getInstance()))
                .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.items()))
                .build();
    }

    @Override
    public EventHandler<State, Integer> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> {
            List<Integer> next = new ArrayList<>(state.items());
            next.add(event);
            return new State(List.copyOf(next));
        });
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return snapshotEvery > 0 ? RetentionCriteria.snapshotEvery(snapshotEvery, 2) : RetentionCriteria.disabled();
    }
}
