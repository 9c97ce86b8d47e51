package dev.finitomata.sharding.internal;

import dev.finitomata.internal.protocol.Command;

/**
 * INTERNAL API. What the cluster gate in front of an FSM actor hears besides the FSM's own commands: notes from its
 * FSM ({@link ShardedHost}), its own reminders, sharding's stop message, and its shard's {@link SleepRegister}. The
 * FSM actor ignores them (they are {@link Command.HostMessage}s).
 */
public final class GateMessage {

    private GateMessage() {
    }

    /** What an FSM tells the gate in front of it: {@code command} to reroute, or {@code cause} of a restart. */
    public record Hosting(Note note, Command command, String cause) implements Command.HostMessage {
    }

    /** The notes of {@link Hosting}. */
    public enum Note {
        /** Recovered, and running. */
        RECOVERED_RUNNING,
        /** The journal failed a write or the recovery: the FSM restarts from it, and answers nothing until then. */
        RESTARTING,
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
        REROUTE,
        /** The caller of its write in flight was told the write is in doubt: route calls as for a restart. */
        WRITE_IN_DOUBT,
        /** The journal took that write after all. */
        WRITE_SETTLED
    }

    /** The probe of the journal has its verdict (see {@code StoreOutage.whenSettled}): route what was held for it. */
    public record Settled() implements Command.HostMessage {
    }

    /**
     * The FSM passivates now: its gate wakes it at {@code wakeAt} (its clock's epoch milliseconds; MAX_VALUE: only
     * for a call), and its timer's next tick was due at {@code timerDueAt} (0: no timer). Sent before it stops.
     */
    public record Sleeps(long wakeAt, long timerDueAt, String state, long since) implements Command.HostMessage {
    }

    /** A register's answer to a gate's {@code Park}: whether it holds the FSM durably now. */
    public record Parked(boolean ok) implements Command.HostMessage {
    }

    /**
     * A register wakes a parked FSM: its entity (a new gate) recovers it; {@code timerDueAt} is when its timer's
     * next tick was due as it passivated (0: none).
     */
    public record WakeUp(long timerDueAt) implements Command.HostMessage {
    }

    /**
     * A register's answer to a gate's early claim of an FSM it parks: when the timer's next tick was due as the FSM
     * passivated (0: it has no timer). The register counts the FSM until the gate claims it again.
     */
    public record Claimed(long timerDueAt) implements Command.HostMessage {
    }

    /** The gate's wake timer: a passivated FSM's delayed transition or timer tick draws near. */
    public record WakeDue() implements Command.HostMessage {
    }

    /** A gate's reminder to itself. */
    public record Linger() implements Command.HostMessage {
    }

    /** A gate has waited long enough for the calls its predecessor handed back ({@code GateHandover.WAIT}). */
    public record HandoverLate() implements Command.HostMessage {
    }

    /** The stop message of sharded gates (passivation agreed, or hand-off). */
    public record StopEntity() implements Command.HostMessage {
    }
}
