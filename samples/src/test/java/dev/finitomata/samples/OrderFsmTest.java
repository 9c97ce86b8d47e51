package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.FsmError;
import dev.finitomata.definition.FsmPath;
import dev.finitomata.persistence.ets.Ets;
import dev.finitomata.testkit.FsmTestKit;
import dev.finitomata.testkit.FsmUnderTest;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The demo's order workflow, tested with the test kit (docs/testing.md). */
class OrderFsmTest {

    static final ActorTestKit TEST_KIT = ActorTestKit.create("orders",
            Ets.config().withFallback(ConfigFactory.load()));

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    private final FsmTestKit<Order> kit = FsmTestKit.create(TEST_KIT, OrderFsm.class, OrderFsm::new);

    private static Order order(String id) {
        return new Order(id, 1_000, true, 0, 0);
    }

    @Test
    void anOrderGoesFromCheckoutToConfirmation() {
        FsmUnderTest<Order> order = kit.start("o-1", order("o-1"));   // asserts STARTED, waits for the entry state
        assertEquals("created", order.state().current());
        order.assertTransition("checkout", null, "awaiting_payment", o -> o.paymentDueMillis() > 0); // and the payload
        order.assertTransition("pay", 2, "paid");          // the state reached
        order.awaitState("packed");                       // 'pack!' is hard: it fires by itself
        order.assertTransition("ship", null, "shipped");
        order.assertTransition("deliver?", 2, "delivered");
        order.assertTransition("confirm", null, "confirmed");
    }

    @Test
    void aDeclinedCardIsRefusedAndTheOrderStaysUnpaid() {
        String id = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "declined-" + i)
                .filter(n -> Math.floorMod(n.hashCode(), 10) == 3).findFirst().orElseThrow();
        FsmUnderTest<Order> order = kit.start(id, order(id));
        order.assertTransition("checkout", null, "awaiting_payment");
        FsmError declined = order.assertRefused("pay", 1);
        assertEquals("card declined", declined.reason());
        order.assertRefused("ship", null);
        order.assertTransition("pay", 2, "paid");
    }

    @Test
    void anUnpaidOrderIsCancelledByItsTimer() {
        FsmUnderTest<Order> order = kit.start("unpaid", order("unpaid"));
        order.assertTransition("checkout", null, "awaiting_payment");
        order.awaitState("cancelled");
    }

    @Test
    void everyPathFromEntryToAFinalStateCanBeWalked() {
        List<FsmPath> paths = FsmTestKit.paths(OrderFsm.DEFINITION);
        assertEquals(2, paths.size(), paths.toString());
        int i = 0;
        for (FsmPath path : paths) {
            String id = "walk-" + i++;
            FsmUnderTest<Order> order = kit.start(id, order(id));
            String last = path.states().get(path.states().size() - 1);
            assertEquals(last, order.walk(path, event -> 2).current());
            assertTrue(OrderFsm.DEFINITION.finalStates().contains(last));
        }
    }
}
