package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finitomata.FsmState;
import dev.finitomata.testkit.FsmStore;
import dev.finitomata.testkit.FsmTestKit;
import dev.finitomata.testkit.FsmTestKitExtension;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The docs' {@link Shipping}, on the file journal and virtual time. */
class ShippingTest {

    @RegisterExtension
    final FsmTestKitExtension fsms = FsmTestKitExtension.create().store(FsmStore.FILE).virtualTime();

    private final Set<String> carrierDownFor = ConcurrentHashMap.newKeySet();
    private final AtomicInteger calls = new AtomicInteger();

    private String carrier(String order) {
        calls.incrementAndGet();
        if (carrierDownFor.contains(order)) {
            throw new IllegalStateException("the carrier does not answer");
        }
        return "TRACK-" + order;
    }

    private static FsmState<String> state(FsmTestKit<String> kit, String name) {
        kit.settle();
        return kit.supervisor().state(name).toCompletableFuture().join().orElseThrow();
    }

    @Test
    void anOrderIsShippedOnceTheCarrierAnswersAndNeedsAttentionWhenItNeverDoes() {
        FsmTestKit<String> kit = fsms.kit(Shipping.class, context -> new Shipping(context, this::carrier));
        carrierDownFor.add("late");
        carrierDownFor.add("never");
        kit.start("late", "");
        kit.start("never", "");
        assertEquals("paid", state(kit, "late").current());
        kit.advance(Duration.ofSeconds(73)); // attempt 2 of both: 1 min later, lengthened by up to 20 %
        carrierDownFor.remove("late");
        kit.advance(Duration.ofMinutes(3)); // attempt 3, 2 to 2.4 min later: the carrier answers for "late"
        assertEquals("shipped", state(kit, "late").current());
        assertEquals("TRACK-late", state(kit, "late").payload());
        assertEquals("paid", state(kit, "never").current());
        // waits of 1, 2, 4, ... minutes, at most 4 hours, lengthened by up to 20 %: 8 attempts fit in a day
        kit.advance(Duration.ofDays(1));
        assertEquals("needs_attention", state(kit, "never").current());
        assertEquals(3 + 8, calls.get(), "late: 3 attempts; never: 8");
    }
}
