package dev.finitomata.internal.runtime;

/**
 * INTERNAL API. Where one FSM actor incarnation is in its life. It survives the actor's restarts after a journal
 * failure (Pekko keeps the behavior object), which is how a restarted FSM that ran goes on running.
 *
 * <pre>
 * VACANT ──start/load/restore──▶ RUNNING ⇄ IDLE_OFFERED (sharded: offered to passivate; any command takes it back)
 *   │  └─restored under another version─▶ MIGRATING ──migrated──▶ RUNNING   (refused: back to VACANT)
 *   │                                        RUNNING ──delete──▶ ERASING ──erased──▶ ENDED
 *   └──failed start / finish / stop / erasure──────────────────────────────────────▶ ENDED ──a start──▶ REROUTING
 * </pre>
 */
enum Phase {
    /** Not running: never started here, or stopped on one node, waiting for a start. */
    VACANT,
    /** Restored by its host under another version: everything waits in the stash until the migration is persisted. */
    MIGRATING,
    /** Running: started, loaded, or restored by the host. */
    RUNNING,
    /** Running, idle, and offered to its host to passivate; the next command makes it {@link #RUNNING} again. */
    IDLE_OFFERED,
    /** Its journal is being erased: everything waits in the stash until the erasure completes. */
    ERASING,
    /** This incarnation is over (finished, stopped, erased, failed start): it answers as not running. */
    ENDED,
    /** Ended, and a start reached it: from then on every call goes back to the host, in order. */
    REROUTING;

    /** Whether the FSM runs in this incarnation. */
    boolean live() {
        return this == RUNNING || this == IDLE_OFFERED;
    }

    /** Whether this incarnation is over. */
    boolean ended() {
        return this == ENDED || this == REROUTING;
    }
}
