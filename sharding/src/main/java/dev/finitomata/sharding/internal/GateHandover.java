package dev.finitomata.sharding.internal;

import dev.finitomata.internal.protocol.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * INTERNAL API. Keeps the order of the calls a leaving {@link FsmGate} hands back to sharding, for the next gate of
 * its name.
 *
 * <p>Design: a gate that asked its shard to passivate it still gets the calls the shard delivered before it took the
 * request; after that, the shard buffers the name's calls and gives them to the next gate. A leaving gate used to hand
 * its calls back at once, through the region, and they went behind calls made after them that the shard had buffered
 * meanwhile: a stop, start, transition, delete and start sent without waiting had the delete and the second start
 * overtake the first start, which then found the FSM running (about 1 run in 150 of that sequence under load). Now
 * the leaving gate keeps them until the shard's stop message, after which the shard gives it nothing more; it writes
 * them down in its node's {@link NodeRegistry}, hands them back, and stops. The next gate here is created after that:
 * it takes the list and holds every call until those have come back, then routes them first, in their order, and
 * what it held after them. If the shard moved away meanwhile, the calls reach a gate elsewhere, which routes them as
 * they come; a gate that waits longer than {@link #WAIT} (the calls went elsewhere after all) routes what it has, and
 * a list older than that is not taken. Nothing is ever dropped for ordering's sake: the calls travel as messages.
 */
final class GateHandover {

    /** How long a gate waits for the calls its predecessor handed back; a list older than this is stale. */
    static final Duration WAIT = Duration.ofSeconds(5);

    /** Calls to hand back as this gate leaves, in order. */
    private final List<Command> leaving = new ArrayList<>();
    /** A start or an erasure came after this gate asked to passivate: it and everything behind it go back. */
    private boolean handingBack;
    /** The calls the previous gate handed back, in its order; null: not waiting for any. */
    private List<Command> expected;
    /** Those of {@link #expected} that came back, at their positions. */
    private Command[] back;
    private int missing;
    /** Other calls that came while waiting, in order. */
    private final List<Command> after = new ArrayList<>();

    /**
     * The gate of {@code name} starts: with the calls its predecessor here handed back (if any, and fresh), it holds
     * every call until they have come, or until it hears {@link GateMessage.HandoverLate} ({@link #WAIT}).
     */
    void start(NodeRegistry registry, String name, ActorContext<Command> gate) {
        List<Command> calls = registry.takeHandedBack(name, WAIT);
        if (calls != null && !calls.isEmpty()) {
            expected = calls;
            back = new Command[calls.size()];
            missing = calls.size();
            gate.scheduleOnce(WAIT, gate.getSelf(), new GateMessage.HandoverLate());
        }
    }

    /**
     * Whether {@code call} is held (the gate waits for the calls handed back to it); once the last of those has come,
     * everything held goes to {@code route}, in order.
     */
    boolean holds(Command call, Consumer<Command> route) {
        if (expected == null) {
            return false;
        }
        for (int i = 0; i < back.length; i++) {
            if (back[i] == null && expected.get(i).equals(call)) {
                back[i] = call;
                if (--missing == 0) {
                    release(route);
                }
                return true;
            }
        }
        after.add(call);
        return true;
    }

    /** The wait is over ({@link #WAIT}, or the gate is handed off): what it holds goes to {@code route}, in order. */
    void release(Consumer<Command> route) {
        if (expected == null) {
            return;
        }
        List<Command> calls = new ArrayList<>(back.length + after.size());
        for (Command call : back) {
            if (call != null) {
                calls.add(call);
            }
        }
        calls.addAll(after);
        expected = null;
        back = null;
        after.clear();
        calls.forEach(route);
    }

    boolean waiting() {
        return expected != null;
    }

    /**
     * A call reached this gate after it asked to passivate: whether it is kept for the next gate (handed back as this
     * one stops). Once the FSM is parked, every call is (a new gate wakes it); otherwise a start or an erasure is, and
     * everything behind it.
     */
    boolean keep(Command call, boolean parked) {
        handingBack |= parked || call instanceof Command.Init || call instanceof Command.Delete;
        if (handingBack) {
            leaving.add(call);
        }
        return handingBack;
    }

    /**
     * The shard stopped this leaving gate (it delivers nothing more to it): the calls it kept are written down for the
     * next gate here, then handed back to sharding.
     */
    void leave(NodeRegistry registry, String name, EntityRef<Command> again) {
        if (!leaving.isEmpty()) {
            registry.handedBack(name, List.copyOf(leaving), WAIT);
            leaving.forEach(again::tell);
            leaving.clear();
        }
    }
}
