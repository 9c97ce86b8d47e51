package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.finitomata.Lifecycle;
import dev.finitomata.StartResult;
import dev.finitomata.persistence.ets.Ets;
import dev.finitomata.testkit.ForFsm;
import dev.finitomata.testkit.FsmStore;
import dev.finitomata.testkit.FsmTestKit;
import dev.finitomata.testkit.FsmTestKitExtension;
import dev.finitomata.testkit.FsmTestKitSettings;
import dev.finitomata.testkit.FsmUnderTest;
import dev.finitomata.testkit.RandomWalks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test kit on the demo's order workflow: the examples of docs/testing.md, on the ETS and file stores. */
class OrderTestKitTest {

    static final List<Path> DIRECTORIES = new ArrayList<>();
    static final List<String> TABLES = new ArrayList<>();

    @AfterAll
    static void everyStoreWasErased() {
        assertFalse(DIRECTORIES.isEmpty());
        DIRECTORIES.forEach(dir -> assertFalse(Files.exists(dir), dir + " is left"));
        TABLES.forEach(table -> assertEquals(Set.of(), Ets.table(table).persistenceIds(), table + " is left"));
    }

    @Nested
    class OnTheFileJournal {

        @RegisterExtension
        final FsmTestKitExtension fsms = FsmTestKitExtension.create().store(FsmStore.FILE).virtualTime();

        @Test
        void anUnpaidOrderIsCancelledWhenItsPaymentWindowPasses() {
            DIRECTORIES.add(fsms.directory());
            FsmTestKit<Order> kit = fsms.kit(OrderFsm.class, OrderFsm::new);
            FsmUnderTest<Order> order = kit.start("o-1", new Order("o-1", 1_000, false, 0, 0));
            order.assertTransition("checkout", null, "awaiting_payment");
            kit.advance(Duration.ofSeconds(1));
            assertEquals("awaiting_payment", order.state().current());
            kit.advance(Duration.ofSeconds(1));                  // the 2-second payment window has passed
            assertEquals("cancelled", order.state().current());
        }

        @Test
        void aDelayedArchiveFiresAfterThirtyDaysEvenAcrossARestart() throws Exception {
            DIRECTORIES.add(fsms.directory());
            FsmTestKit<Order> kit = fsms.kit(OrderFsm.class, OrderFsm::new);
            kit.startIn("o-2", "confirmed", new Order("o-2", 1_000, true, 0, 0));
            kit.supervisor().transition("o-2", "archive", null, Duration.ofDays(30));
            kit.advance(Duration.ofDays(29));
            assertTrue(kit.supervisor().alive("o-2").toCompletableFuture().get(10, TimeUnit.SECONDS));

            fsms.restart();                                      // a new ActorSystem on the same journal
            kit = fsms.kit(OrderFsm.class, OrderFsm::new);
            assertEquals(StartResult.LOADED, kit.supervisor().start("o-2", new Order("o-2", 0, true, 0, 0))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertEquals(Lifecycle.LOADED, kit.attach("o-2").state().lifecycle());
            kit.advance(Duration.ofDays(30));
            assertFalse(kit.supervisor().alive("o-2").toCompletableFuture().get(10, TimeUnit.SECONDS)); // archived
        }
    }

    @Nested
    @ExtendWith(FsmTestKitExtension.class)
    @FsmTestKitSettings(store = FsmStore.ETS)
    class OnEts {

        @Test
        void aPaidOrderIsNeverCancelled(@ForFsm(OrderFsm.class) FsmTestKit<Order> kit, FsmTestKitExtension fsms) {
            TABLES.add(fsms.etsTable());
            RandomWalks.Summary summary = kit.randomWalks(name -> new Order(name, 1_000, true, 0, 0))
                    .walks(20)
                    .eventPayloads((state, event, random) -> random.nextInt(1, 3))   // the payment attempt
                    .invariant("a cancelled order was never paid", fsm -> !fsm.current().equals("cancelled")
                            || !fsm.history().contains("paid"))
                    .run();
            assertTrue(summary.statesReached().containsAll(Set.of("packed", "cancelled")), summary.toString());
        }

        @Test
        void aBrokenInvariantIsShrunkToItsShortestSequence(@ForFsm(OrderFsm.class) FsmTestKit<Order> kit,
                                                          FsmTestKitExtension fsms) {
            TABLES.add(fsms.etsTable());
            AssertionError failure = assertThrows(AssertionError.class, () ->
                    kit.randomWalks(name -> new Order(name, 1_000, true, 0, 0))
                            .seed(42)
                            .invariant("no order is ever cancelled", fsm -> !fsm.current().equals("cancelled"))
                            .run());
            assertTrue(failure.getMessage().contains("""
                    shortest failing sequence: 2 steps (shrunk from"""), failure.getMessage());
            assertTrue(failure.getMessage().contains("""
                      1. checkout
                      2. cancel
                    re-run it with .seed(42) or -Dfinitomata.seed=42"""), failure.getMessage());
        }
    }
}
