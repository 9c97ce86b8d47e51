package dev.finitomata.internal.protocol;

import java.util.Map;

/**
 * INTERNAL API. One write of a local supervisor's wake index (persistence id {@code fsm-wakes|<supervisor id>}):
 * for each FSM name, the time (epoch milliseconds of the FSMs' clock) of its earliest pending delayed transition, or
 * {@link #FORGET} when it has none left (or no longer runs). Also the form of the index's snapshot (every name it
 * holds).
 */
public record WakesChanged(Map<String, Long> due) implements FsmSerializable {

    /** The name has no pending delayed transition any more. */
    public static final long FORGET = -1;
}
