package dev.finitomata;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Where {@link FsmRuntimeContract} runs: one node's {@link Finitomata}, or a cluster's {@code Infinitomata}. What
 * differs by nature between them (the node an FSM reports, where listeners and the event stream see a transition) is
 * asked of the host; everything else is the same test.
 */
public abstract class RuntimeHost implements AutoCloseable {

    private final List<FsmSupervisor<Counter>> created = new ArrayList<>();

    /** Every ActorSystem of the host (one for a local host), the first being the one the tests call through. */
    public abstract List<ActorSystem<?>> systems();

    /**
     * A new supervisor of {@link RecordingFsm}s with that id: one per node; answers the first node's.
     *
     * @throws IllegalArgumentException or IllegalStateException as the facade's {@code create} does
     */
    public final FsmSupervisor<Counter> supervisor(String id) {
        List<FsmSupervisor<Counter>> onEveryNode = create(id);
        created.clear();
        created.addAll(onEveryNode);
        return onEveryNode.get(0);
    }

    /** Creates the facade for {@code id} on every node, first node first. */
    protected abstract List<FsmSupervisor<Counter>> create(String id);

    /** Registers {@code listener} on the facade of every node (each sees the FSMs running on its node). */
    public final void addListener(FsmListener<Counter> listener) {
        created.forEach(s -> s.addListener(listener));
    }

    /**
     * Whether a stop is written to the journal: where the host brings FSMs back by itself (a cluster), a stop must be
     * persisted to hold; on one node nothing brings them back, and a stop costs no write.
     */
    public boolean persistsStops() {
        return false;
    }

    /** Unregisters {@code listener} from the facade of every node; answers whether any had it. */
    public final boolean removeListener(FsmListener<Counter> listener) {
        boolean removed = false;
        for (FsmSupervisor<Counter> s : created) {
            removed |= s.removeListener(listener);
        }
        return removed;
    }

    /** The addresses an FSM may report as its node. */
    public abstract Set<String> nodes();

    @Override
    public abstract void close();
}
