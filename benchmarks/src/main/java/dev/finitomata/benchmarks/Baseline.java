package dev.finitomata.benchmarks;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * The hand-written baseline: the same ping-pong state machine as {@link PingPong}, as a plain Pekko
 * {@link EventSourcedBehavior} (a switch for the legal moves, one persisted {@code {state, payload}} event per
 * transition, a reply once persisted).
 */
final class Baseline extends EventSourcedBehavior<Baseline.Go, Baseline.Moved, Baseline.State> {

    record Go(String event, ActorRef<State> replyTo) {
    }

    record Moved(String to, PingPong.Ball payload) {
    }

    record State(String current, PingPong.Ball payload) {
    }

    private final String journal;

    private Baseline(String id, String journal) {
        super(PersistenceId.ofUniqueId(id));
        this.journal = journal;
    }

    static Behavior<Go> create(String id, String journalPluginId) {
        return new Baseline(id, journalPluginId);
    }

    @Override
    public String journalPluginId() {
        return journal;
    }

    @Override
    public State emptyState() {
        return new State("a", new PingPong.Ball(0));
    }

    @Override
    public CommandHandler<Go, Moved, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState().onCommand(Go.class, (state, go) -> {
            String to = switch (state.current() + ":" + go.event()) {
                case "a:go" -> "b";
                case "b:go" -> "a";
                default -> null;
            };
            if (to == null) {
                return Effect().reply(go.replyTo(), state);
            }
            return Effect().persist(new Moved(to, state.payload().next())).thenReply(go.replyTo(), s -> s);
        }).build();
    }

    @Override
    public EventHandler<State, Moved> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, moved) -> new State(moved.to(),
                moved.payload()));
    }
}
