package dev.finitomata.benchmarks;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.finitomata.internal.pekko.PekkoInternals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * The hand-written baseline: the same ping-pong state machine as {@link PingPong}, as a plain Pekko
 * {@link EventSourcedBehavior} (a switch for the legal moves, one persisted {@code {state, payload}} event per
 * transition, a reply once persisted).
 *
 * <p>{@link #withObligations}: the same behavior carrying what Finitomata's FSM actor must carry on Pekko for its
 * features, each as a hand-written behavior would write it: a timer scheduler around it (timers, delays, the idle
 * countdown), a backoff restart on journal failures, the event a history needs (from, event, to, payload, when), the
 * last five states kept in memory, no event publishing, and the effect chain of a write whose callers may be stashed
 * behind a hard event (a side effect, then an unstash). It is the yardstick for what Finitomata adds beyond them.
 */
final class Baseline extends EventSourcedBehavior<Baseline.Go, Baseline.Moved, Baseline.State> {

    record Go(String event, ActorRef<State> replyTo) {
    }

    /** {@code from}, {@code event} and {@code at}: only with obligations (null otherwise, and not written). */
    record Moved(@JsonInclude(JsonInclude.Include.NON_NULL) String from,
                 @JsonInclude(JsonInclude.Include.NON_NULL) String event, String to, PingPong.Ball payload,
                 @JsonInclude(JsonInclude.Include.NON_NULL) Long at) {
        Moved(String to, PingPong.Ball payload) {
            this(null, null, to, payload, null);
        }
    }

    record State(String current, PingPong.Ball payload, List<String> history) {
        State(String current, PingPong.Ball payload) {
            this(current, payload, List.of());
        }
    }

    private final String journal;
    private final boolean obligations;

    private Baseline(String id, String journal, boolean obligations) {
        super(PersistenceId.ofUniqueId(id), obligations ? SupervisorStrategy.restartWithBackoff(
                Duration.ofMillis(200), Duration.ofSeconds(5), 0.2) : null);
        this.journal = journal;
        this.obligations = obligations;
    }

    static Behavior<Go> create(String id, String journalPluginId) {
        return new Baseline(id, journalPluginId, false);
    }

    /** The baseline with Finitomata's obligations on Pekko (the class comment). */
    static Behavior<Go> withObligations(String id, String journalPluginId) {
        return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> PekkoInternals.withoutEventPublishing(
                new Baseline(id, journalPluginId, true))));
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
            if (!obligations) {
                return Effect().persist(new Moved(to, state.payload().next())).thenReply(go.replyTo(), s -> s);
            }
            return Effect().persist(new Moved(state.current(), go.event(), to, state.payload().next(),
                    System.currentTimeMillis())).thenRun(s -> go.replyTo().tell(s)).thenUnstashAll();
        }).build();
    }

    @Override
    public EventHandler<State, Moved> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, moved) -> !obligations
                ? new State(moved.to(), moved.payload()) : new State(moved.to(), moved.payload(),
                push(state.history(), moved.from())));
    }

    private static List<String> push(List<String> history, String from) {
        List<String> next = new ArrayList<>(Math.min(5, history.size() + 1));
        next.add(from);
        for (int i = 0; i < history.size() && next.size() < 5; i++) {
            next.add(history.get(i));
        }
        return next;
    }
}
