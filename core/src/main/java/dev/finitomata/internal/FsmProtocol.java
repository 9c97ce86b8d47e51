package dev.finitomata.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.finitomata.FsmError;
import dev.finitomata.FsmState;
import dev.finitomata.StartResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * INTERNAL API. What the facades say to an FSM actor, what it answers, what it persists, and its persisted state.
 *
 * <p>Design: every user object (payload, event payload) is typed {@code Object} and carries its class in JSON, so
 * one Jackson binding ({@link FsmSerializable}) serialises everything across the journal and the cluster.
 */
public final class FsmProtocol {

    private FsmProtocol() {
    }

    // ---- commands ----

    /** Messages an FSM actor handles. */
    public sealed interface Command extends FsmSerializable {
    }

    /** Start with {@code payload}, or answer that the FSM was loaded or is already running. */
    public record Init(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object payload, ActorRef<StartReply> replyTo)
            implements Command {
    }

    /** Fire {@code event}; {@code replyTo} is null for fire-and-forget. */
    public record Fire(String event, @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object eventPayload,
                       ActorRef<Reply> replyTo) implements Command {
    }

    /** Fire the hard (or auto-terminating) event of the current state; sent by the FSM to itself. */
    public record FireHard(String event) implements Command {
    }

    /** Schedule {@code event} in {@code delayMillis}, durably. */
    public record Schedule(String event, @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object eventPayload,
                           long delayMillis) implements Command {
    }

    /** A scheduled transition is due. */
    public record DelayDue(String id) implements Command {
    }

    /** The periodic timer ticked. */
    public record Tick() implements Command {
    }

    /** Answer the current state (or null in {@link StateReply} when not started). */
    public record GetState(ActorRef<StateReply> replyTo) implements Command {
    }

    /**
     * Stop (the state stays persisted), then answer {@link Committed} with the last state, or {@link NotRunning}.
     * A sharded FSM passivates instead; its shard then sends {@link Passivated}.
     */
    public record Stop(ActorRef<Reply> replyTo) implements Command {
    }

    /** A sharded FSM checks whether it has been idle long enough to passivate. */
    public record IdleCheck() implements Command {
    }

    /** The stop message of sharded FSMs: the shard tells a passivating FSM to stop now. */
    public record Passivated() implements Command {
    }

    // ---- replies ----

    /** The answer to {@link Init}: a result, or the failure of the start. */
    public record StartReply(StartResult result, FsmError error) implements FsmSerializable {
    }

    /** The answer to {@link Fire}. */
    public sealed interface Reply extends FsmSerializable {
    }

    /** The transition was committed. */
    public record Committed(FsmState<?> state) implements Reply {
    }

    /** The transition failed; the FSM stays where it was. */
    public record Failed(FsmError error) implements Reply {
    }

    /** The FSM is not running (never started, or stopped). */
    public record NotRunning(String name) implements Reply {
    }

    /** The answer to {@link GetState}; {@code state} is null when the FSM is not running. */
    public record StateReply(FsmState<?> state) implements FsmSerializable {
    }

    // ---- persisted events ----

    /** Persisted events. */
    public sealed interface Event extends FsmSerializable {
    }

    /** A committed transition. */
    public record Transitioned(String from, String event, String to,
                               @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object payload) implements Event {
    }

    /** The payload changed without a transition ({@code TimerResult.update}). */
    public record PayloadUpdated(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object payload) implements Event {
    }

    /** A delayed transition was scheduled to fire at {@code dueAtMillis} (epoch milliseconds). */
    public record DelayScheduled(String id, String event,
                                 @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object eventPayload,
                                 long dueAtMillis) implements Event {
    }

    /** A delayed transition fired (successfully or not) and is no longer pending. */
    public record DelayDone(String id) implements Event {
    }

    // ---- persisted state ----

    /**
     * The persisted state: {@code current} is null until the FSM is started; {@code history} is newest first.
     */
    public record Data(String current, @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object payload,
                       List<String> history, Map<String, DelayScheduled> pending) implements FsmSerializable {

        /** The state of an FSM that was never started. */
        public static final Data EMPTY = new Data(null, null, List.of(), Map.of());

        /** Copies the collections. */
        public Data {
            history = history == null ? List.of() : List.copyOf(history);
            pending = pending == null ? Map.of() : Map.copyOf(pending);
        }

        /** Whether the FSM is running: started and not finished ({@code "*"}). */
        public boolean started() {
            return current != null && !current.equals("*");
        }

        public Data apply(Event event, int historySize) {
            return switch (event) {
                case Transitioned t -> new Data(t.to(), t.payload(), push(t.from(), historySize), pending);
                case PayloadUpdated u -> new Data(current, u.payload(), history, pending);
                case DelayScheduled d -> {
                    Map<String, DelayScheduled> next = new HashMap<>(pending);
                    next.put(d.id(), d);
                    yield new Data(current, payload, history, next);
                }
                case DelayDone d -> {
                    Map<String, DelayScheduled> next = new HashMap<>(pending);
                    next.remove(d.id());
                    yield new Data(current, payload, history, next);
                }
            };
        }

        private List<String> push(String from, int historySize) {
            if (from.equals("*") || historySize <= 0) {
                return history;
            }
            List<String> next = new ArrayList<>(Math.min(historySize, history.size() + 1));
            next.add(from);
            for (int i = 0; i < history.size() && next.size() < historySize; i++) {
                next.add(history.get(i));
            }
            return next;
        }
    }
}
