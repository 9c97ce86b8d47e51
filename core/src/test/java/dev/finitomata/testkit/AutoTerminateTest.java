package dev.finitomata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Auto-termination per final state (issue 25, point 7): an order finishes by itself when cancelled and waits when
 * delivered (for its returns); listeners hear the move to {@code "*"} too.
 */
class AutoTerminateTest {

    /** Finishes by itself in {@code cancelled} only. */
    public static final class Order extends FsmBehavior<Integer> {
        static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                placed --> |cancel| cancelled
                placed --> |deliver| delivered
                """);

        public Order(FsmContext context) {
            super(context);
        }

        @Override
        protected FsmDefinition definition() {
            return DEFINITION;
        }

        @Override
        protected boolean autoTerminate(String state) {
            return state.equals("cancelled");
        }

        @Override
        protected Transition<Integer> onTransition(String state, String event, Object arg, Integer payload) {
            return Transition.to(targetOf(state, event), payload + 1);
        }
    }

    static final ActorTestKit TEST_KIT = ActorTestKit.create("auto-terminate", VirtualTimeTest.JOURNAL);

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    @Test
    void anOrderFinishesWhenCancelledAndWaitsWhenDelivered() {
        FsmTestKit<Integer> kit = FsmTestKit.create(TEST_KIT, Order.class, Order::new);
        FsmSupervisor<Integer> orders = kit.supervisor();
        List<String> heard = new CopyOnWriteArrayList<>();
        orders.addListener((name, state, payload) -> heard.add(name + ":" + state + ":" + payload));
        kit.start("cancelled-order", 0);
        kit.start("delivered-order", 0);
        orders.transitionAndWait("cancelled-order", "cancel", null).toCompletableFuture().join();
        orders.transitionAndWait("delivered-order", "deliver", null).toCompletableFuture().join();
        kit.settle();
        assertFalse(orders.alive("cancelled-order").toCompletableFuture().join(), "it finished by itself");
        assertTrue(orders.alive("delivered-order").toCompletableFuture().join(), "it waits in delivered");
        assertEquals("delivered", orders.state("delivered-order").toCompletableFuture().join().orElseThrow()
                .current());
        assertTrue(heard.contains("cancelled-order:*:3"), "listeners hear the end: " + heard);
        assertFalse(heard.contains("delivered-order:*:3"), heard.toString());
    }
}
