package dev.finitomata.internal.runtime;

import dev.finitomata.internal.protocol.Command;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * INTERNAL API. What differs between hosting an FSM on one node and in a cluster: one strategy object per FSM actor,
 * so the FSM actor itself has no local-or-sharded branches.
 *
 * <p>The contract: an FSM calls {@link #running()} before it answers the start that made it run, and {@link #ended()}
 * before it answers the call that ended it (the finishing transition, the stop, the erasure, the failed start). The
 * host thereby closes its gate before anybody can observe the end, so a call made after that answer is refused at
 * once instead of reaching an actor that is going away. An FSM that has ended stops only when its host sends it
 * {@code Shutdown}, after everything the host routed to it before. All methods are called on the FSM's thread.
 */
public interface FsmHost {

    /** Builds the host of one FSM actor; called once per actor (it survives the actor's restarts). */
    @FunctionalInterface
    interface Factory {
        FsmHost create(String name, ActorContext<Command> fsm);
    }

    /**
     * Whether this host brings running FSMs back by itself (after a node crash, a relocation or a full restart), so
     * that a stop must be persisted to hold: true in a cluster. A host that restores nothing by itself (one node) keeps
     * stops in memory: a stopped FSM is simply not running there until {@code start} loads it.
     */
    boolean restoresByItself();

    /**
     * Whether a recovered FSM whose state is running runs at once: true in a cluster, where the cluster restores
     * running FSMs by itself; locally only when this actor ran before its restart (a crash or journal failure).
     * Otherwise it waits for a start, which answers {@code LOADED}.
     */
    boolean restoresRunning();

    /**
     * Whether this actor was started by the host's wake index: it runs again only if its journal holds a pending
     * delayed transition (else the index was stale, and the FSM ends here at once, as not running).
     */
    default boolean restoresOnlyWithDelays() {
        return false;
    }

    /** How long a quiet FSM with nothing scheduled waits before offering to passivate; empty: never. */
    Optional<Duration> passivateIdleAfter();

    /**
     * How long before its earliest pending delayed transition this host wakes a passivated FSM (it keeps a wake
     * schedule); empty: the host wakes nobody by itself, so an FSM with a pending delayed transition or a timer never
     * passivates.
     */
    Optional<Duration> wakeAhead();

    /**
     * Before a write that schedules delayed transitions, and when a running FSM arms pending ones: the earliest due
     * among them (epoch milliseconds of the FSM's clock). A host that keeps a durable wake index has it there when
     * this returns (it blocks the FSM's thread for that write, unless the index already wakes the FSM early enough),
     * so that no caller hears of a delay the index lacks. Default: nothing.
     */
    default void remembering(long earliestDueMillis) {
    }

    /** After a write that scheduled or took delayed transitions: the earliest still pending (MAX_VALUE: none). */
    default void pendingNow(long earliestDueMillis) {
    }

    /** Recovery completed; {@code running} tells whether the FSM now runs. */
    void recovered(boolean running);

    /**
     * The FSM's journal failed a write or its recovery ({@code cause} says how): the actor restarts from its journal
     * (with backoff) and answers nothing until it has recovered ({@link #recovered}). Meanwhile the host answers calls
     * for it at once while the journal is unavailable ({@code Command.answerUnavailable}); and calls it routed to an
     * incarnation that never ran (a start whose recovery fails) are answered then and there, with {@code cause}.
     */
    void restarting(String cause);

    /**
     * The caller of the FSM's awaited write in flight has been told that the write is in doubt: the node found the
     * journal down. Until {@link #writeSettled} or a recovery, the host routes calls for the FSM as for a restarting
     * one (answered at once while the journal is unavailable), so that none waits behind the write in the actor's
     * stash (Pekko's, which a restart keeps until the journal is back). Called on the outage watch's thread, not the
     * FSM's.
     */
    void writeInDoubt();

    /** After {@link #writeInDoubt}, the journal took the write after all: the FSM runs on as before. */
    void writeSettled();

    /** The FSM runs (started or loaded); called before the start is answered. */
    void running();

    /**
     * The running FSM is in {@code state}, which it entered at {@code since} (epoch milliseconds of its clock; 0 when
     * its journal does not say): called when it starts, loads or is restored, and after every transition it
     * commits (not the one that finishes it), before it answers. The host's state index counts and finds it.
     */
    void state(String state, long since);

    /**
     * Where the FSM's thread tells {@link #state} on every transition, asked once per actor: by default the host. A
     * host whose own fields the callers write on every call answers a separate object, so that the FSM's thread does
     * not read the host's lines on every transition (false sharing: each read took the line from the caller's core).
     */
    default StateSink stateSink() {
        return this::state;
    }

    /** {@link #state}, on an object of its own. */
    interface StateSink {
        /** As {@link FsmHost#state}. */
        void state(String state, long since);
    }

    /** The FSM stopped running; called before the call that ended it is answered. Idempotent. */
    void ended();

    /** The FSM has been idle for {@link #passivateIdleAfter()} with nothing scheduled that keeps it awake. */
    void idle();

    /**
     * The FSM passivates now, after {@link #idle()} and the host's {@code Sleep}: its actor stops once this returns. A
     * host with a {@link #wakeAhead()} wakes it at {@code wakeAtMillis} (of the FSM's clock; {@code Long.MAX_VALUE}:
     * nothing scheduled), or at the next call for it, whichever comes first; {@code timerDueAtMillis} is when its
     * timer's next tick is due (0: no timer).
     */
    default void sleeps(long wakeAtMillis, long timerDueAtMillis) {
    }

    /**
     * For an FSM woken from passivation: when the tick of its timer was due as it passivated (0: none, or not woken),
     * so that the timer goes on from there instead of starting its interval again.
     */
    default long timerResumesAt() {
        return 0;
    }

    /** After {@link #idle()}, the FSM got busy again and stays. */
    void awake();

    /**
     * A call reached this incarnation after it ended, behind a start: the host routes it again (in order) to the
     * next incarnation. An ended FSM answers calls as "not running" until a start reaches it; from that start on it
     * hands every call back here, so that what was sent after the start follows it.
     */
    void reroute(Command command);
}
