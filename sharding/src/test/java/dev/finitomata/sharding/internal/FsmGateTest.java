package dev.finitomata.sharding.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.Replies;
import dev.finitomata.internal.runtime.FsmSettings;
import dev.finitomata.internal.runtime.StateIndex;
import dev.finitomata.internal.runtime.StoreOutage;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.sharding.typed.testkit.javadsl.TestEntityRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster gate against a scripted FSM actor, to pin down orderings that a real cluster produces only now and
 * then. Each incarnation of the scripted FSM reports what it receives to {@code seen}, as {@code <incarnation>:<call>}.
 */
class FsmGateTest {

    private static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void close() {
        KIT.shutdownTestKit();
    }

    /** The gate of {@code name}, its FSM built by {@code fsm}, on a node with {@code registry}; no sleep register. */
    private static Behavior<Command> gate(String name, ActorRef<ClusterSharding.ShardCommand> shard,
                                          EntityRef<Command> again, GateChild fsm, NodeRegistry registry) {
        FsmSettings settings = FsmSettings.from(KIT.system().settings().config());
        return FsmGate.create(name, shard, again, fsm, DispatcherSelector.defaultDispatcher(), registry,
                StoreOutage.of(KIT.system(), settings), settings.clock(), null);
    }

    /** What the scripted FSM received: its incarnation, the call, and itself. */
    record Seen(int incarnation, Command call, ActorRef<Command> fsm) {
    }

    /**
     * The first incarnation runs, ends on Stop, hands back a start that reaches it afterwards, and stops on Go (not on
     * the gate's Shutdown, so that the test decides what the gate hears before its FSM stopped). It tells the gate of
     * its end only with the start it hands back, so that the gate has routed the start to it first, whatever the
     * threads do.
     */
    private static Behavior<Command> scripted(ActorRef<Command> gate, int incarnation, ActorRef<Seen> seen) {
        return Behaviors.setup(ctx -> {
            if (incarnation == 1) {
                gate.tell(new GateMessage.Hosting(GateMessage.Note.RECOVERED_RUNNING, null, null));
            }
            boolean[] ended = {false};
            return Behaviors.receiveMessage(call -> {
                seen.tell(new Seen(incarnation, call, ctx.getSelf()));
                if (incarnation == 1) {
                    if (call instanceof Command.Stop) {
                        ended[0] = true;
                    } else if (call instanceof Command.Init && ended[0]) {
                        // the note of the end reaches the gate only after it routed the start here (as it may)
                        gate.tell(new GateMessage.Hosting(GateMessage.Note.ENDED, null, null));
                        gate.tell(new GateMessage.Hosting(GateMessage.Note.REROUTE, call, null));
                    } else if (call instanceof Go) {
                        return Behaviors.stopped();
                    }
                }
                return Behaviors.same();
            });
        });
    }

    /** The test lets the first incarnation stop. */
    record Go() implements Command.HostMessage {
    }

    @Test
    void aCallBehindAStartThatTheEndedFsmHandsBackWaitsForTheNextIncarnation() {
        TestProbe<Seen> seen = KIT.createTestProbe();
        TestProbe<ClusterSharding.ShardCommand> shard = KIT.createTestProbe();
        TestProbe<Replies.Reply> caller = KIT.createTestProbe();
        TestProbe<Replies.StartReply> starter = KIT.createTestProbe();
        AtomicInteger incarnations = new AtomicInteger();
        ActorRef<Command> gate = KIT.spawn(gate("fsm-1", shard.ref(), null,
                (self, resumes) -> scripted(self, incarnations.incrementAndGet(), seen.ref()),
                new NodeRegistry(new StateIndex())));

        // a stop and a start, sent without waiting: both reach the running FSM, which ends on the stop
        gate.tell(new Command.Stop(caller.ref()));
        gate.tell(new Command.Init("payload", null, starter.ref()));
        assertInstanceOf(Command.Stop.class, seen.receiveMessage().call());
        assertInstanceOf(Command.Init.class, seen.receiveMessage().call());
        Seen shutdown = seen.receiveMessage(); // the gate heard of the end
        assertInstanceOf(Command.Shutdown.class, shutdown.call());
        // a transition sent behind the start reaches the gate while the ended FSM is still stopping
        gate.tell(new Command.Fire("work", null, caller.ref(), true));
        shutdown.fsm().tell(new Go());
        assertInstanceOf(Go.class, seen.receiveMessage().call());
        Seen first = seen.receiveMessage();
        Seen second = seen.receiveMessage();
        assertEquals(2, first.incarnation());
        assertInstanceOf(Command.Init.class, first.call(), "the start reaches the next incarnation first");
        assertInstanceOf(Command.Fire.class, second.call(), "then the transition sent behind it: not refused");
    }

    /** An FSM that runs at once, ends on a stop, and stops when its gate says so; every call goes to {@code seen}. */
    private static Behavior<Command> endsOnStop(ActorRef<Command> gate, int incarnation, ActorRef<Seen> seen) {
        return Behaviors.setup(ctx -> {
            if (incarnation == 1) {
                gate.tell(new GateMessage.Hosting(GateMessage.Note.RECOVERED_RUNNING, null, null));
            }
            return Behaviors.receiveMessage(call -> {
                seen.tell(new Seen(incarnation, call, ctx.getSelf()));
                if (call instanceof Command.Stop) {
                    gate.tell(new GateMessage.Hosting(GateMessage.Note.ENDED, null, null));
                } else if (call instanceof Command.Shutdown) {
                    return Behaviors.stopped();
                }
                return Behaviors.same();
            });
        });
    }

    /**
     * The rare CI failure of the contract's {@code lifecycleCallsMadeWithoutWaitingTakeEffectInOrder}: a start and a
     * transition reach a gate that has asked its shard to passivate it; the shard, once it took the request, buffers a
     * delete and a second start made after them. The calls the gate hands back must reach the next gate first.
     */
    @Test
    void callsALeavingGateHandsBackGoFirstAtTheNextGate() {
        TestProbe<Seen> seen = KIT.createTestProbe();
        TestProbe<ClusterSharding.ShardCommand> shard = KIT.createTestProbe();
        TestProbe<Command> region = KIT.createTestProbe();
        TestProbe<Replies.Reply> caller = KIT.createTestProbe();
        TestProbe<Replies.StartReply> starter = KIT.createTestProbe();
        TestProbe<Replies.Deleted> deleter = KIT.createTestProbe();
        AtomicInteger incarnations = new AtomicInteger();
        NodeRegistry registry = new NodeRegistry(new StateIndex());
        var again = TestEntityRef.of(EntityTypeKey.create(Command.class, "fsm"), "fsm-2", region.ref());
        Behavior<Command> gateBehavior = gate("fsm-2", shard.ref(), again,
                (self, resumes) -> endsOnStop(self, incarnations.incrementAndGet(), seen.ref()), registry);
        ActorRef<Command> gate = KIT.spawn(gateBehavior);

        gate.tell(new Command.Stop(caller.ref()));
        assertInstanceOf(Command.Stop.class, seen.receiveMessage().call());
        assertInstanceOf(Command.Shutdown.class, seen.receiveMessage().call());
        assertInstanceOf(ClusterSharding.Passivate.class, shard.receiveMessage()); // the gate leaves
        Command start = new Command.Init("payload", null, starter.ref());
        Command work = new Command.Fire("work", null, caller.ref(), true);
        gate.tell(start); // delivered before the shard took the passivation
        gate.tell(work);
        gate.tell(new GateMessage.StopEntity()); // the shard took it: it buffers what comes now
        assertEquals(List.of(start, work), List.of(region.receiveMessage(), region.receiveMessage()));
        KIT.createTestProbe().expectTerminated(gate);

        // the next gate gets the buffered calls first, then those handed back through the region
        ActorRef<Command> next = KIT.spawn(gateBehavior);
        Command erase = new Command.Delete(deleter.ref());
        Command fresh = new Command.Init("fresh", null, starter.ref());
        next.tell(erase);
        next.tell(fresh);
        next.tell(start);
        next.tell(work);
        List<Command> routed = List.of(seen.receiveMessage().call(), seen.receiveMessage().call(),
                seen.receiveMessage().call(), seen.receiveMessage().call());
        assertEquals(List.of(start, work, erase, fresh), routed, "in the order the calls were made");
    }
}
