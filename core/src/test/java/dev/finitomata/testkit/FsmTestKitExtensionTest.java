package dev.finitomata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.finitomata.Counter;
import dev.finitomata.RecordingFsm;
import dev.finitomata.testkit.Subscription.Account;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FsmTestKitExtension} in both of its forms; the ETS and file stores are tested in samples. */
class FsmTestKitExtensionTest {

    /** Each test's ActorSystem, to check that it was shut down after the test. */
    static final List<ActorSystem<?>> SYSTEMS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterAll
    static void everySystemWasShutDown() throws Exception {
        assertTrue(SYSTEMS.size() >= 4, SYSTEMS.toString());
        for (ActorSystem<?> system : SYSTEMS) {
            system.getWhenTerminated().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Nested
    class InAField {

        @RegisterExtension
        final FsmTestKitExtension fsms = FsmTestKitExtension.create().virtualTime();

        @Test
        void aTestGetsAKitOnVirtualTime() {
            SYSTEMS.add(fsms.testKit().system());
            FsmTestKit<Account> kit = fsms.kit(Subscription.class, Subscription::new);
            assertTrue(kit.virtualTime());
            FsmUnderTest<Account> trial = kit.start("trial", new Account(kit.now().toEpochMilli(), 0, List.of()));
            kit.supervisor().transition("trial", "expire", null, Duration.ofDays(30));
            kit.advance(Duration.ofDays(30));
            assertEquals("closed", trial.state().current());
        }

        @Test
        void eachTestHasASystemOfItsOwnWithNothingLeftFromTheOthers() {
            SYSTEMS.add(fsms.testKit().system());
            FsmTestKit<Account> kit = fsms.kit(Subscription.class, Subscription::new);
            kit.start("trial", new Account(0, 0, List.of())); // asserts STARTED: no FSM of the other test's name
            assertEquals(1, SYSTEMS.stream().filter(s -> s == fsms.testKit().system()).count());
        }

        @Test
        void restartNeedsAStoreThatOutlivesTheSystem() {
            SYSTEMS.add(fsms.testKit().system());
            IllegalStateException e = assertThrows(IllegalStateException.class, fsms::restart);
            assertTrue(e.getMessage().contains("FsmStore.ETS or FsmStore.FILE"), e.getMessage());
        }
    }

    @Nested
    @ExtendWith(FsmTestKitExtension.class)
    class WithExtendWith {

        @Test
        void parametersAreResolved(@ForFsm(RecordingFsm.class) FsmTestKit<Counter> kit, ActorTestKit testKit,
                                   FsmTestKitExtension extension) {
            SYSTEMS.add(testKit.system());
            assertFalse(kit.virtualTime());
            assertEquals(testKit, extension.testKit());
            assertSame(kit, extension.kit(RecordingFsm.class, RecordingFsm::new), "one kit per FSM type");
            kit.start("one", new Counter(0)).assertTransition("start", null, "working");
        }

        @Test
        void outsideATestThereIsNoTestKit(FsmTestKitExtension extension) {
            SYSTEMS.add(extension.testKit().system());
            assertThrows(IllegalStateException.class, () -> new FsmTestKitExtension().testKit());
        }
    }

    @Nested
    @ExtendWith(FsmTestKitExtension.class)
    @FsmTestKitSettings(virtualTime = true)
    class WithSettings {

        @Test
        void theClassAnnotationChoosesVirtualTime(@ForFsm(Subscription.class) FsmTestKit<Account> kit) {
            SYSTEMS.add(kit.testKit().system());
            assertTrue(kit.virtualTime());
        }
    }
}
