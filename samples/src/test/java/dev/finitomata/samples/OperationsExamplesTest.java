package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmDetails;
import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.FsmQuery;
import dev.finitomata.FsmSummary;
import dev.finitomata.persistence.ets.Ets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/operations.md, run against the order FSM (DocsTest checks the docs quote them). On Pekko's
 * manual time, so no order's payment timer fires (the FSMs' clock stands still: no order has waited an hour).
 */
class OperationsExamplesTest {

    @Test
    void countsStuckOrdersDetailsAndHistory() {
        ActorTestKit testKit = ActorTestKit.create("operations", ConfigFactory.parseString(
                "finitomata.persistence.ets.journal.table = \"operations-" + System.nanoTime() + "\"")
                .withFallback(ManualTime.config()).withFallback(Ets.config()).withFallback(ConfigFactory.load()));
        try {
            Finitomata<Order> orders = Finitomata.create(testKit.system(), "orders", OrderFsm.class, OrderFsm::new);
            for (int i = 0; i < 3; i++) {
                String id = "order-" + i;
                orders.start(id, new Order(id, 100, true, 0, 0)).toCompletableFuture().join();
                orders.transitionAndWait(id, "checkout", null).toCompletableFuture().join();
            }

            Map<String, Long> counts = orders.countByState().toCompletableFuture().join();
            // {awaiting_payment=1204, confirmed=8890, shipped=412}
            assertEquals(Map.of("awaiting_payment", 3L), counts);

            List<FsmSummary> stuck = orders.find(FsmQuery.inState("awaiting_payment")
                    .enteredBefore(Instant.now().minus(Duration.ofHours(1)))
                    .limit(50)).toCompletableFuture().join();
            // [FsmSummary[name=order-17, state=awaiting_payment, since=2026-12-05T09:12:03Z], ...]
            assertEquals(List.of(), stuck, "none has waited an hour");
            List<FsmSummary> waiting = orders.find(FsmQuery.inState("awaiting_payment").limit(2))
                    .toCompletableFuture().join();
            List<FsmSummary> next = orders.find(FsmQuery.inState("awaiting_payment")
                    .limit(2).after(waiting.get(waiting.size() - 1))).toCompletableFuture().join();
            assertEquals(List.of("order-0", "order-1"), waiting.stream().map(FsmSummary::name).toList());
            assertEquals(List.of("order-2"), next.stream().map(FsmSummary::name).toList());

            orders.transition("order-1", "cancel", null, Duration.ofDays(3));
            FsmDetails<Order> details = orders.details("order-1").toCompletableFuture().join().orElseThrow();
            details.state();   // FsmState[name=order-1, current=awaiting_payment, payload=Order[...], ...]
            details.node();    // pekko://orders@10.0.0.12:2551, the node hosting it
            details.delays();  // [Delay[event=cancel, eventPayload=null, dueAt=2026-12-08T09:12:03Z]], earliest first
            details.timer();   // Optional[Timer[interval=PT0.5S, nextTick=2026-12-05T09:12:03.500Z]]
            assertEquals("awaiting_payment", details.state().current());
            assertEquals(testKit.system().address().toString(), details.node());
            assertEquals(List.of("cancel"), details.delays().stream().map(FsmDetails.Delay::event).toList());
            assertEquals(Duration.ofMillis(500), details.timer().orElseThrow().interval());

            orders.transitionAndWait("order-0", "cancel", null).toCompletableFuture().join();
            orders.transitionAndWait("order-0", "archive", null).toCompletableFuture().join(); // finished
            List<FsmHistoryEntry<Order>> story = orders.history("order-0").toCompletableFuture().join();
            List<String> steps = story.stream()
                    .map(step -> step.from() + " --" + step.event() + "--> " + step.to()).toList();
            // [* --place--> created, created --checkout--> awaiting_payment,
            //  awaiting_payment --cancel--> cancelled, cancelled --archive--> *]
            assertEquals(List.of("* --place--> created", "created --checkout--> awaiting_payment",
                    "awaiting_payment --cancel--> cancelled", "cancelled --archive--> *"), steps);
            assertEquals(List.of(), orders.history("order-never").toCompletableFuture().join());
        } finally {
            testKit.shutdownTestKit();
        }
    }
}
