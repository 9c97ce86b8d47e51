package dev.finitomata.sharding.internal;

import dev.finitomata.internal.engine.FsmDecider;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.runtime.StoreOutage;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * INTERNAL API. What an {@link FsmGate} does with a call while its FSM's journal is suspected or down.
 *
 * <p>Design: while the child restarts after a failure and the node's probe suspects the journal, calls are held in
 * order until the probe's verdict ({@link GateMessage.Settled}): the child may be back at once (its own failure), or
 * only with the journal. While the journal is known to be down, a call that needs a child still to recover from it is
 * refused at once (stage {@code PERSIST}, a start {@code START}) rather than left to time out.
 */
final class GateOutage {

    private final StoreOutage outage;
    /** Calls held, in order, while the child restarts and the journal is suspected: until the probe's verdict. */
    private final List<Command> inDoubt = new ArrayList<>();

    GateOutage(StoreOutage outage) {
        this.outage = outage;
    }

    /**
     * Whether {@code call} was taken: held until the verdict (which is then told to {@code gate}), or refused.
     *
     * @param restarting the child restarts from its journal after a failure of it
     * @param recovering the child must recover from the journal before it can answer (starting, or passivated)
     */
    boolean takes(Command call, boolean restarting, boolean recovering, ActorRef<Command> gate) {
        if (!inDoubt.isEmpty() || restarting && outage.suspected()) {
            if (inDoubt.isEmpty()) {
                outage.whenSettled(() -> gate.tell(new GateMessage.Settled()));
            }
            inDoubt.add(call);
            return true;
        }
        if ((restarting || recovering) && outage.down()
                && Command.answerUnavailable(call, FsmDecider.STAR, outage.reason())) {
            outage.refused();
            return true;
        }
        return false;
    }

    /** The verdict came: the calls held for it, in order, to route now. */
    List<Command> settled() {
        List<Command> calls = List.copyOf(inDoubt);
        inDoubt.clear();
        return calls;
    }
}
