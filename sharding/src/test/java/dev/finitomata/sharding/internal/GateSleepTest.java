package dev.finitomata.sharding.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finitomata.internal.protocol.Command;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * How a gate hands its woken FSM the tick its timer had as it was parked: read by the child as it resumes, or, if the
 * register's word (a wake-up, or the answer to a claim) comes after that, told to the child.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GateSleepTest {

    private ActorTestKit testKit;

    @BeforeAll
    void start() {
        testKit = ActorTestKit.create("GateSleepTest");
    }

    @AfterAll
    void stop() {
        testKit.shutdownTestKit();
    }

    private GateSleep sleep(TestProbe<Command> gate) {
        return new GateSleep("fsm", gate.ref(), null, null, null, Clock.systemUTC());
    }

    @Test
    void aWordBeforeTheChildResumesIsReadByIt() {
        TestProbe<Command> gate = testKit.createTestProbe();
        TestProbe<Command> child = testKit.createTestProbe();
        GateSleep sleep = sleep(gate);
        LongSupplier resumer = sleep.resumer();
        sleep.wokenUp(new GateMessage.WakeUp(1_234), child.ref());
        assertEquals(1_234, resumer.getAsLong());
        child.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void aWordAfterTheChildResumedIsToldToIt() {
        TestProbe<Command> gate = testKit.createTestProbe();
        TestProbe<Command> child = testKit.createTestProbe();
        GateSleep sleep = sleep(gate);
        assertEquals(0, sleep.resumer().getAsLong()); // the child recovered before the gate read its wake-up
        sleep.wokenUp(new GateMessage.WakeUp(1_234), child.ref());
        assertEquals(new Command.TimerWas(1_234), child.receiveMessage());
        sleep.claimed(new GateMessage.Claimed(1_234), child.ref()); // the answer to the claim: told again, a no-op
        assertEquals(new Command.TimerWas(1_234), child.receiveMessage());
        sleep.timerWas(0, child.ref()); // parked without a timer: nothing to tell
        child.expectNoMessage(Duration.ofMillis(100));
    }
}
