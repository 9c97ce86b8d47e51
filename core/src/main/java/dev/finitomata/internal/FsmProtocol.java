package dev.finitomata.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * one Jackson binding ({@link FsmSerializable}) serialises everything across the journal and the cluster. Every
 * command that expects an answer carries its {@code replyTo}, and {@link #answerNotRunning} answers any of them for
 * an FSM that does not run, so that every host (the FSM actor, the local supervisor, the cluster gate) refuses the
 * same way and nobody waits for a timeout.
 */
public final class FsmProtocol {

    private FsmProtocol() {
    }

    // ---- commands ----

    /** Messages an FSM actor (and the gate in front of it) handles. */
    public sealed interface Command extends FsmSerializable {
    }

    /**
     * Start with {@code payload}, or answer that the FSM was loaded or is already running. With {@code placeIn} (the
     * test kit's {@code startIn}; null otherwise) a fresh FSM is placed in that state instead of entering its entry
     * state.
     */
    public record Init(@PayloadType Object payload, String placeIn,
                       ActorRef<StartReply> replyTo) implements Command {
    }

    /**
     * Fire {@code event}. An awaited fire is answered with a {@link Reply}; a fire-and-forget one ({@code awaited}
     * false) is answered only when it is dropped, with {@link NotRunning} to the sender's drop counter.
     */
    public record Fire(String event, @PayloadType Object eventPayload,
                       ActorRef<Reply> replyTo, boolean awaited) implements Command {
    }

    /** Fire the hard (or auto-terminating) event of the current state; sent by the FSM to itself. */
    public record FireHard(String event) implements Command {
    }

    /** Schedule {@code event} in {@code delayMillis}, durably; {@code dropsTo} hears of it if it is dropped. */
    public record Schedule(String event, @PayloadType Object eventPayload,
                           long delayMillis, ActorRef<Reply> dropsTo) implements Command {
    }

    /** A scheduled transition is due. */
    public record DelayDue(String id) implements Command {
    }

    /** The periodic timer ticked; {@code arm} tells which arming of the timer sent it. */
    public record Tick(int arm) implements Command {
    }

    /** Answer the current state (null in {@link StateReply} when not running). */
    public record GetState(ActorRef<StateReply> replyTo) implements Command {
    }

    /** Answer whether the FSM runs. */
    public record IsAlive(ActorRef<AliveReply> replyTo) implements Command {
    }

    /**
     * Answer {@link Settled} once the FSM has nothing under way: no write in flight, no hard event or due delayed
     * transition pending, and nothing processed since it last saw this message ({@code seen}, the count of commands
     * processed then; -1 at first), so that whatever it sent itself is done too. The test kit's virtual time waits
     * on it before time moves on.
     */
    public record Settle(ActorRef<Settled> replyTo, int seen) implements Command {
    }

    /** Stop (the stop is persisted; the state stays), then answer {@link Committed}, or {@link NotRunning}. */
    public record Stop(ActorRef<Reply> replyTo) implements Command {
    }

    /** Erase everything persisted (stopping the FSM if it runs), then answer {@link Deleted}. */
    public record Delete(ActorRef<Deleted> replyTo) implements Command {
    }

    /** The erasure asked by {@link Delete} completed; {@code failure} is null when it succeeded. */
    public record Erasure(ActorRef<Deleted> replyTo, String failure) implements Command {
    }

    /** The host tells an FSM that has ended to stop now (after everything already in its mailbox). */
    public record Shutdown() implements Command {
    }

    /** The host agrees that an idle FSM may stop; it stops if it is still idle, else answers that it is awake. */
    public record Sleep() implements Command {
    }

    /** An FSM checks whether it has been idle long enough to offer to passivate. */
    public record IdleCheck() implements Command {
    }

    /** What an FSM tells the gate in front of it (cluster hosting); local to one node. */
    public record Hosting(Note note, Command command) implements Command {
    }

    /** The notes of {@link Hosting}. */
    public enum Note {
        /** Recovered, and running. */
        RECOVERED_RUNNING,
        /** Recovered, and not running (never started, stopped, finished, erased). */
        RECOVERED_VACANT,
        /** Started or loaded. */
        RUNNING,
        /** Finished, stopped, erased, or failed to start. */
        ENDED,
        /** Idle for the passivation interval with nothing scheduled. */
        IDLE,
        /** Was idle, is busy again. */
        AWAKE,
        /** A call reached an incarnation that has ended, behind a start: route it to the next one. */
        REROUTE
    }

    /** Migrate the FSM just recovered (a cluster restoring it) before it runs: see {@code FsmBehavior.migrate}. */
    public record Migrate() implements Command {
    }

    /** A gate's reminder to itself (cluster hosting). */
    public record Linger() implements Command {
    }

    /** The stop message of sharded gates (passivation agreed, or hand-off). */
    public record StopEntity() implements Command {
    }

    // ---- replies ----

    /** The answer to {@link Init}: a result, or the failure of the start. */
    public record StartReply(StartResult result, FsmError error) implements FsmSerializable {
    }

    /** The answer to {@link Fire} and {@link Stop}. */
    public sealed interface Reply extends FsmSerializable {
    }

    /** The transition (or stop) was committed. */
    public record Committed(FsmState<?> state) implements Reply {
    }

    /** The transition failed; the FSM stays where it was. */
    public record Failed(FsmError error) implements Reply {
    }

    /** The FSM is not running (never started, finished, stopped, erased); {@code event} was refused or dropped. */
    public record NotRunning(String name, String event) implements Reply {
    }

    /** The answer to {@link GetState}; {@code state} is null when the FSM is not running. */
    public record StateReply(FsmState<?> state) implements FsmSerializable {
    }

    /** The answer to {@link Settle}. */
    public record Settled() implements FsmSerializable {
    }

    /** The answer to {@link IsAlive}. */
    public record AliveReply(boolean alive) implements FsmSerializable {
    }

    /** The answer to {@link Delete}; {@code failure} says why erasing failed, or is null. */
    public record Deleted(String failure) implements FsmSerializable {
    }

    /** Internal event-stream note: the last error of {@code persistenceId} was cleared by a success or an erasure. */
    public record ErrorCleared(String persistenceId) {
    }

    /** Whether {@code command} comes from a caller (not from the FSM's own timers or its host). */
    public static boolean fromCaller(Command command) {
        return command instanceof Init || command instanceof Fire || command instanceof Schedule
                || command instanceof GetState || command instanceof IsAlive || command instanceof Stop
                || command instanceof Delete || command instanceof Settle;
    }

    /**
     * Answers {@code command} as an FSM that does not run would: awaited calls hear {@link NotRunning}, empty or
     * false; a fire-and-forget or delayed event is reported as dropped. Starts and erasures are not answered here
     * (they are never refused for not running): answers false for them, true otherwise.
     */
    public static boolean answerNotRunning(String name, Command command) {
        switch (command) {
            case Fire f -> f.replyTo().tell(new NotRunning(name, f.event()));
            case Schedule s -> s.dropsTo().tell(new NotRunning(name, s.event()));
            case GetState g -> g.replyTo().tell(new StateReply(null));
            case IsAlive a -> a.replyTo().tell(new AliveReply(false));
            case Settle s -> s.replyTo().tell(new Settled());
            case Stop s -> s.replyTo().tell(new NotRunning(name, "stop"));
            case Init i -> {
                return false;
            }
            case Delete d -> {
                return false;
            }
            default -> {
                // internal messages (timers, hosting notes) of an FSM that does not run: nothing to answer
            }
        }
        return true;
    }

    // ---- persisted events ----

    /** Persisted events. */
    public sealed interface Event extends FsmSerializable {
    }

    /**
     * A committed transition. From {@code "*"} it begins a new life; to {@code "*"} it ends one. {@code version} is the
     * FSM's {@code version()} that made it, null for version 1 (so version 1 costs no bytes, and events written before
     * versions existed read as version 1).
     */
    public record Transitioned(String from, String event, String to, @PayloadType Object payload,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Integer version) implements Event {

        /** A transition made by version {@code version} of the FSM. */
        public static Transitioned of(String from, String event, String to, Object payload, int version) {
            return new Transitioned(from, event, to, payload, version == 1 ? null : version);
        }

        /** The version that made it. */
        public int madeBy() {
            return version == null ? 1 : version;
        }
    }

    /**
     * An FSM persisted under version {@code fromVersion} was loaded by version {@code toVersion} and mapped from
     * state {@code from} to {@code to} with {@code payload} ({@code FsmBehavior.migrate}).
     */
    public record Migrated(int fromVersion, int toVersion, String from, String to, @PayloadType Object payload)
            implements Event {
    }

    /** The payload changed without a transition ({@code TimerResult.update}). */
    public record PayloadUpdated(@PayloadType Object payload) implements Event {
    }

    /** A delayed transition was scheduled to fire at {@code dueAtMillis} (epoch milliseconds). */
    public record DelayScheduled(String id, String event,
                                 @PayloadType Object eventPayload,
                                 long dueAtMillis) implements Event {
    }

    /** A delayed transition fired (successfully or not) and is no longer pending. */
    public record DelayDone(String id) implements Event {
    }

    /** The FSM was stopped: it keeps its state but runs no more until started (loaded) again. */
    public record Stopped() implements Event {
    }

    /** A stopped FSM was started again (loaded). */
    public record Resumed() implements Event {
    }

    /** The FSM was erased: whatever is replayed before this tombstone is forgotten. */
    public record Erased() implements Event {
    }

    // ---- persisted state ----

    /**
     * The persisted state: {@code current} is null until the FSM is started and {@code "*"} once it finished;
     * {@code history} is newest first; {@code stopped} marks an FSM stopped by {@code stop}.
     */
    public record Data(String current, @PayloadType Object payload,
                       List<String> history, Map<String, DelayScheduled> pending, boolean stopped, int version)
            implements FsmSerializable {

        /** The state of an FSM that was never started (or was erased). */
        public static final Data EMPTY = new Data(null, null, List.of(), Map.of(), false, 1);

        /** Copies the collections; a version below 1 (a snapshot from before versions) is 1. */
        public Data {
            history = history == null ? List.of() : List.copyOf(history);
            pending = pending == null ? Map.of() : Map.copyOf(pending);
            version = Math.max(1, version);
        }

        /** Whether the FSM has a life: started and not finished ({@code "*"}); it may be stopped. */
        public boolean started() {
            return current != null && !current.equals("*");
        }

        /** Whether the FSM runs: started, not finished and not stopped. */
        public boolean running() {
            return started() && !stopped;
        }

        public Data apply(Event event, int historySize) {
            return switch (event) {
                case Transitioned t when t.from().equals("*") ->
                        new Data(t.to(), t.payload(), List.of(), Map.of(), false, t.madeBy());
                case Transitioned t when t.to().equals("*") ->
                        new Data("*", t.payload(), push(t.from(), historySize), Map.of(), false, t.madeBy());
                case Transitioned t ->
                        new Data(t.to(), t.payload(), push(t.from(), historySize), pending, stopped, t.madeBy());
                case Migrated m -> new Data(m.to(), m.payload(), history, pending, stopped, m.toVersion());
                case PayloadUpdated u -> new Data(current, u.payload(), history, pending, stopped, version);
                case DelayScheduled d -> {
                    Map<String, DelayScheduled> next = new HashMap<>(pending);
                    next.put(d.id(), d);
                    yield new Data(current, payload, history, next, stopped, version);
                }
                case DelayDone d -> {
                    Map<String, DelayScheduled> next = new HashMap<>(pending);
                    next.remove(d.id());
                    yield new Data(current, payload, history, next, stopped, version);
                }
                case Stopped s -> new Data(current, payload, history, pending, true, version);
                case Resumed r -> new Data(current, payload, history, pending, false, version);
                case Erased e -> EMPTY;
            };
        }

        private List<String> push(String from, int historySize) {
            if (historySize <= 0) {
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
