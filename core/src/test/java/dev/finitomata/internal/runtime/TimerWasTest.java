package dev.finitomata.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finitomata.Counter;
import dev.finitomata.RecordingFsm;
import dev.finitomata.StartResult;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.Replies;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link Command.TimerWas}: a host that learns only after its FSM resumed when the timer's tick was due as the FSM
 * passivated (a cluster gate, told by its shard's sleep register) has the timer go on from that tick, unless the
 * timer has been armed since. The FSM actor here is hosted by a bare host, as a gate hosts it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimerWasTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);

    private ActorTestKit testKit;
    private FsmType type;

    @BeforeAll
    void start() {
        testKit = BareHost.kit("TimerWasTest", "");
        type = BareHost.type(testKit, "timer-was");
    }

    @AfterAll
    void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aResumedFsmGoesOnFromTheTickItHadUnlessArmedSince() throws InterruptedException {
        String name = "resumed-" + System.nanoTime();
        RecordingFsm.TIMERS.put(name, INTERVAL);
        ActorRef<Command> first = spawn(name, false);
        TestProbe<Replies.StartReply> started = testKit.createTestProbe();
        first.tell(new Command.Init(new Counter(0), null, started.ref()));
        assertEquals(StartResult.STARTED, started.receiveMessage().result());
        TestProbe<Replies.Reply> fired = testKit.createTestProbe();
        first.tell(new Command.Fire("start", null, fired.ref(), true));
        fired.receiveMessage();
        long ignoredByAFreshOne = nextTick(first);
        first.tell(new Command.TimerWas(ignoredByAFreshOne - 5_000));
        assertEquals(ignoredByAFreshOne, nextTick(first), "not resumed: its timer is its own");
        testKit.stop(first);

        ActorRef<Command> resumed = spawn(name, true); // recovers running, and arms a whole interval
        long armed = nextTick(resumed);
        assertTrue(armed > System.currentTimeMillis() + INTERVAL.toMillis() - 5_000, "a whole interval: " + armed);
        long due = System.currentTimeMillis() + 700;
        resumed.tell(new Command.TimerWas(due));
        assertEquals(due, nextTick(resumed), "it goes on from the tick it had");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!RecordingFsm.log(name).contains("onTimer:working")) {
            assertTrue(System.nanoTime() < deadline, "the tick did not come");
            Thread.sleep(5);
        }
        long tickedAt = System.currentTimeMillis();
        assertTrue(tickedAt >= due - 20 && tickedAt <= due + 2_000, "ticked " + (tickedAt - due) + " ms after due");

        long next = nextTick(resumed); // armed since (the tick): a late word changes nothing now
        resumed.tell(new Command.TimerWas(due + 1_000));
        assertEquals(next, nextTick(resumed));
        testKit.stop(resumed);
    }

    private ActorRef<Command> spawn(String name, boolean resumes) {
        return BareHost.spawn(testKit, type, name, resumes);
    }

    private long nextTick(ActorRef<Command> fsm) {
        TestProbe<Replies.DetailsReply> details = testKit.createTestProbe();
        fsm.tell(new Command.Inspect(details.ref()));
        return details.receiveMessage().timerDueAtMillis();
    }
}
