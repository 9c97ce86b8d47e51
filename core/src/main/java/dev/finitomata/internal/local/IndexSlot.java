package dev.finitomata.internal.local;

import dev.finitomata.internal.runtime.FsmHost;
import dev.finitomata.internal.runtime.StateIndex;

/**
 * INTERNAL API. One local FSM's place in its supervisor's state index: the FSM's thread tells it its state after every
 * transition ({@link FsmHost#stateSink}).
 *
 * <p>Design: an object apart from the FSM's {@link LocalHost}, because the facade's callers write the host's gate (an
 * atomic counter next to the host's other fields) twice per call. While the FSM told its state through the host, its
 * thread read the host on every transition and took that cache line from the caller's core each time. Allocated just
 * after its host, it lies more than a cache line away from the gate.
 */
final class IndexSlot implements FsmHost.StateSink {

    private final StateIndex index;
    private final String name;
    /** Set on the FSM's thread; volatile: the supervisor's thread reads it when the FSM is abandoned. */
    private volatile StateIndex.Entry entry;

    IndexSlot(StateIndex index, String name) {
        this.index = index;
        this.name = name;
    }

    @Override
    public void state(String state, long since) {
        StateIndex.Entry indexed = entry;
        if (indexed == null) {
            entry = index.enter(name, state, since);
        } else {
            index.move(indexed, state, since);
        }
    }

    /** The next incarnation of a passivated FSM keeps its entry. */
    void adopt(IndexSlot dormant) {
        entry = dormant.entry;
    }

    /** The FSM no longer runs here. */
    void remove() {
        StateIndex.Entry indexed = entry;
        if (indexed != null) {
            index.remove(indexed);
        }
    }
}
