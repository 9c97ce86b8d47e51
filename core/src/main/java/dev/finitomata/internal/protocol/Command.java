package dev.finitomata.internal.protocol;

import dev.finitomata.FsmError;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.payload.PayloadType;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * INTERNAL API. What the facades (and the FSM itself, through its timers) say to an FSM actor. Every command that
 * expects an answer carries its {@code replyTo}, and {@link #answerNotRunning} answers any of them for an FSM that
 * does not run, so that every host (the FSM actor, the local supervisor, the cluster gate) refuses the same way and
 * nobody waits for a timeout. What a host says to itself or to its gate is a {@link HostMessage}, declared by that
 * host: the FSM actor ignores it.
 */
public sealed interface Command extends FsmSerializable {

    /** A message of a host's own (the cluster gate's notes, reminders and stop message): not the FSM's business. */
    non-sealed interface HostMessage extends Command {
    }


    /**
     * Start with {@code payload}, or answer that the FSM was loaded or is already running. With {@code placeIn} (the
     * test kit's {@code startIn}; null otherwise) a fresh FSM is placed in that state instead of entering its entry
     * state.
     */
    record Init(@PayloadType Object payload, String placeIn,
                       ActorRef<Replies.StartReply> replyTo) implements Command {
    }

    /**
     * Fire {@code event}. An awaited fire is answered with a {@link Replies.Reply}; a fire-and-forget one ({@code awaited}
     * false) is answered only when it is dropped, with {@link Replies.NotRunning} to the sender's drop counter.
     */
    record Fire(String event, @PayloadType Object eventPayload,
                       ActorRef<Replies.Reply> replyTo, boolean awaited) implements Command {
    }

    /** Fire the hard (or auto-terminating) event of the current state; sent by the FSM to itself. */
    record FireHard(String event) implements Command {
    }

    /** Schedule {@code event} in {@code delayMillis}, durably; {@code dropsTo} hears of it if it is dropped. */
    record Schedule(String event, @PayloadType Object eventPayload,
                           long delayMillis, ActorRef<Replies.Reply> dropsTo) implements Command {
    }

    /** A scheduled transition is due. */
    record DelayDue(String id) implements Command {
    }

    /** The periodic timer ticked; {@code arm} tells which arming of the timer sent it. */
    record Tick(int arm) implements Command {
    }

    /** Answer the current state (null in {@link Replies.StateReply} when not running). */
    record GetState(ActorRef<Replies.StateReply> replyTo) implements Command {
    }

    /** Run {@code onTimer} now, as if the timer had fired ({@code FsmSupervisor.timerTick}). */
    record TimerTick(ActorRef<Replies.Reply> replyTo) implements Command {
    }

    /** Restart the timer's countdown from now ({@code FsmSupervisor.resetTimer}). */
    record ResetTimer(ActorRef<Replies.Reply> replyTo) implements Command {
    }

    /** Answer the FSM's state, its node, its pending delays and its timer ({@code FsmSupervisor.details}). */
    record Inspect(ActorRef<Replies.DetailsReply> replyTo) implements Command {
    }

    /** Answer whether the FSM runs. */
    record IsAlive(ActorRef<Replies.AliveReply> replyTo) implements Command {
    }

    /**
     * Answer {@link Replies.Settled} once the FSM has nothing under way: no write in flight, no hard event or due delayed
     * transition pending, and nothing processed since it last saw this message ({@code seen}, the count of commands
     * processed then; -1 at first), so that whatever it sent itself is done too. The test kit's virtual time waits
     * on it before time moves on.
     */
    record Settle(ActorRef<Replies.Settled> replyTo, int seen) implements Command {
    }

    /**
     * Stop (the state stays; the stop is persisted only where the host restores FSMs by itself, in a cluster),
     * then answer {@link Replies.Committed}, or {@link Replies.NotRunning}.
     */
    record Stop(ActorRef<Replies.Reply> replyTo) implements Command {
    }

    /** Erase everything persisted (stopping the FSM if it runs), then answer {@link Replies.Deleted}. */
    record Delete(ActorRef<Replies.Deleted> replyTo) implements Command {
    }

    /** The erasure asked by {@link Delete} completed; {@code failure} is null when it succeeded. */
    record Erasure(ActorRef<Replies.Deleted> replyTo, String failure) implements Command {
    }

    /** The host tells an FSM that has ended to stop now (after everything already in its mailbox). */
    record Shutdown() implements Command {
    }

    /** The host agrees that an idle FSM may stop; it stops if it is still idle, else answers that it is awake. */
    record Sleep() implements Command {
    }

    /**
     * The host learnt, after this FSM came back from passivation and armed its timer afresh, when the timer's next
     * tick was due as it passivated ({@code dueAtMillis}, by its clock): the timer goes on from there, unless it has
     * been armed since (a tick, a transition). A cluster gate learns it from its shard's sleep register, which may
     * answer after the woken FSM has recovered.
     */
    record TimerWas(long dueAtMillis) implements Command {
    }

    /** An FSM checks whether it has been idle long enough to offer to passivate. */
    record IdleCheck() implements Command {
    }

    /** Migrate the FSM just recovered (a cluster restoring it) before it runs: see {@code FsmBehavior.migrate}. */
    record Migrate() implements Command {
    }

    /** The journal is back after an outage: re-arm what waited for it (due delays, timer ticks, a hard event). */
    record JournalBack() implements Command {
    }

    /** A parent checks on the children it forked (its own timer, or a recovery). */
    record ForkCheck() implements Command {
    }

    /**
     * What a parent learnt of the child of its pending fork {@code id}: it runs, it ended with {@code payload}, it
     * does not run (so it is to be started), its start was refused ({@code failure}), or nobody could say
     * ({@code failure}: no such supervisor here, or the ask failed).
     */
    record ForkStatus(String id, Kind kind, @PayloadType Object payload, FsmError failure) implements Command {
        public enum Kind { RUNNING, ENDED, NOT_RUNNING, REFUSED, UNKNOWN }
    }

    /** Whether {@code command} comes from a caller (not from the FSM's own timers or its host). */
    static boolean fromCaller(Command command) {
        return command instanceof Init || command instanceof Fire || command instanceof Schedule
                || command instanceof GetState || command instanceof Inspect || command instanceof IsAlive
                || command instanceof TimerTick || command instanceof ResetTimer || command instanceof Stop
                || command instanceof Delete || command instanceof Settle;
    }

    /**
     * Answers {@code command} as refused because what it needs, the FSM's journal, is unavailable ({@code reason}
     * says which and why, {@code state} is the FSM's if known): awaited calls and starts hear a failure with stage
     * {@code PERSIST} ({@code START} for a start or a read of the state), a fire-and-forget or delayed event is
     * reported as dropped to its sender's counter. Answers false for what has nobody to answer.
     */
    static boolean answerUnavailable(Command command, String state, String reason) {
        switch (command) {
            case Fire f -> f.replyTo().tell(new Replies.Failed(error(FsmError.Stage.PERSIST, state, f.event(),
                    f.eventPayload(), reason)));
            case Schedule s -> s.dropsTo().tell(new Replies.Failed(error(FsmError.Stage.PERSIST, state, s.event(),
                    s.eventPayload(), reason)));
            case GetState g -> g.replyTo().tell(new Replies.StateReply(null, error(FsmError.Stage.START, state,
                    "state", null, reason)));
            case TimerTick t -> t.replyTo().tell(new Replies.Failed(error(FsmError.Stage.PERSIST, state,
                    "timerTick", null, reason)));
            case Stop s -> s.replyTo().tell(new Replies.Failed(error(FsmError.Stage.PERSIST, state, "stop", null,
                    reason)));
            case Init i -> i.replyTo().tell(new Replies.StartReply(null, error(FsmError.Stage.START, state,
                    "start", i.payload(), reason)));
            case Delete d -> d.replyTo().tell(new Replies.Deleted(reason));
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Answers {@code command}, which an incarnation that could not recover from its journal held: as refused for
     * {@code reason} ({@link #answerUnavailable}), or else as for an FSM that does not run.
     */
    static void answerUnrecovered(String name, Command command, String reason) {
        if (!answerUnavailable(command, FsmDefinition.PSEUDO_STATE, reason)) {
            answerNotRunning(name, command);
        }
    }

    private static FsmError error(FsmError.Stage stage, String state, String event, Object payload, String reason) {
        return new FsmError(stage, state, event, payload, reason);
    }

    /**
     * Answers {@code command} as an FSM that does not run would: awaited calls hear {@link Replies.NotRunning}, empty or
     * false; a fire-and-forget or delayed event is reported as dropped. Starts and erasures are not answered here
     * (they are never refused for not running): answers false for them, true otherwise.
     */
    static boolean answerNotRunning(String name, Command command) {
        switch (command) {
            case Fire f -> f.replyTo().tell(new Replies.NotRunning(name, f.event()));
            case Schedule s -> s.dropsTo().tell(new Replies.NotRunning(name, s.event()));
            case GetState g -> g.replyTo().tell(new Replies.StateReply(null));
            case Inspect i -> i.replyTo().tell(Replies.DetailsReply.NOT_RUNNING);
            case TimerTick t -> t.replyTo().tell(new Replies.NotRunning(name, "timerTick"));
            case ResetTimer r -> r.replyTo().tell(new Replies.NotRunning(name, "resetTimer"));
            case IsAlive a -> a.replyTo().tell(new Replies.AliveReply(false));
            case Settle s -> s.replyTo().tell(new Replies.Settled());
            case Stop s -> s.replyTo().tell(new Replies.NotRunning(name, "stop"));
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
}
