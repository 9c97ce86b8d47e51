package dev.finitomata.sharding.internal;

import dev.finitomata.internal.protocol.FsmSerializable;
import java.util.Map;

/**
 * INTERNAL API. A passivated FSM as its shard's {@link SleepRegister} keeps it: its state and since when (epoch
 * milliseconds), when it must be woken ({@code Long.MAX_VALUE}: only by a call), and when its timer's next tick is due
 * (0: no timer). A null state marks a removal in {@link SleepsChanged}.
 */
public record Sleeper(String state, long since, long wakeAt, long timerDueAt) {

    /** One copy of each state's name (read from the journal, each would be a copy of its own). */
    public Sleeper {
        state = state == null ? null : state.intern();
    }

    /** The removal of a name. */
    static final Sleeper GONE = new Sleeper(null, 0, 0, 0);

    /**
     * INTERNAL API. One write of a sleep register ({@code fsm-sleeps|<supervisor id>|<shard>}): each name parked with
     * its {@link Sleeper}, or {@link #GONE}. Also the form of the register's snapshot (every name it holds).
     */
    public record SleepsChanged(Map<String, Sleeper> changes) implements FsmSerializable {
    }
}
