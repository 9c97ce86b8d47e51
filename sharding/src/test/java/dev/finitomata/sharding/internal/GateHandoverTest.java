package dev.finitomata.sharding.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.runtime.StateIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/** The bookkeeping of {@link GateHandover}: what a gate holds while the calls handed back to it are on their way. */
class GateHandoverTest {

    private static final Command A = new Command.DelayDue("a");
    private static final Command B = new Command.DelayDue("b");
    private static final Command C = new Command.DelayDue("c");

    private final NodeRegistry registry = new NodeRegistry(new StateIndex());
    private final List<Command> routed = new ArrayList<>();

    /** A handover started by a gate (a behavior test kit's context stands in for the gate's). */
    private GateHandover started() {
        GateHandover handover = new GateHandover();
        BehaviorTestKit.<Command>create(Behaviors.setup(ctx -> {
            handover.start(registry, "fsm", ctx);
            return Behaviors.empty();
        }));
        return handover;
    }

    @Test
    void aGateWithNothingHandedBackRoutesAtOnce() {
        GateHandover handover = started();
        assertFalse(handover.waiting());
        assertFalse(handover.holds(A, routed::add));
    }

    @Test
    void callsHandedBackGoFirstInTheirOrderWhateverOrderTheyComeIn() {
        registry.handedBack("fsm", List.of(A, B), GateHandover.WAIT);
        GateHandover handover = started();
        assertTrue(handover.holds(C, routed::add));
        assertTrue(handover.holds(B, routed::add));
        assertEquals(List.of(), routed);
        assertTrue(handover.holds(A, routed::add));
        assertEquals(List.of(A, B, C), routed);
        assertFalse(handover.waiting());
        assertFalse(handover.holds(C, routed::add), "after that, calls are routed as they come");
        assertFalse(started().waiting(), "the list is taken once");
    }

    @Test
    void aWaitThatEndsWithCallsMissingRoutesWhatCame() {
        registry.handedBack("fsm", List.of(A, B), GateHandover.WAIT);
        GateHandover handover = started();
        handover.holds(C, routed::add);
        handover.holds(B, routed::add);
        handover.release(routed::add);
        assertEquals(List.of(B, C), routed);
        assertFalse(handover.holds(A, routed::add), "one that comes later is routed as it comes");
    }

    @Test
    void aStaleListIsNotTaken() {
        registry.handedBack("fsm", List.of(A), GateHandover.WAIT);
        assertNull(registry.takeHandedBack("fsm", Duration.ZERO));
        assertNull(registry.takeHandedBack("fsm", GateHandover.WAIT), "and it is gone");
    }

    @Test
    void aStaleListWhoseNextGateStartedElsewhereIsDroppedWhenAnotherIsHandedBack() {
        registry.handedBack("moved", List.of(A), GateHandover.WAIT); // its shard moves: no gate here takes it
        registry.handedBack("fsm", List.of(B), Duration.ZERO); // everything older than this one is stale
        registry.handedBack("fsm", List.of(B), GateHandover.WAIT);
        assertNull(registry.takeHandedBack("moved", GateHandover.WAIT), "dropped, not kept for ever");
        assertEquals(List.of(B), registry.takeHandedBack("fsm", GateHandover.WAIT));
    }

    @Test
    void aLeavingGateKeepsAStartAndWhatFollowsItOrEverythingOnceParked() {
        GateHandover ended = new GateHandover();
        assertFalse(ended.keep(A, false), "answered 'not running' by the gate");
        Command start = new Command.Init(null, null, null);
        assertTrue(ended.keep(start, false));
        assertTrue(ended.keep(B, false));
        GateHandover parked = new GateHandover();
        assertTrue(parked.keep(A, true));
    }
}
