package dev.finitomata.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The outage watch's striped map of awaited writes: the stripe of a key must not decide where the stripe's own
 * {@code HashMap} puts it, or all keys of a stripe share one bucket (which the map turns into a tree).
 */
class AwaitedWritesTest {

    @Test
    void keysOfOneStripeSpreadOverItsBuckets() {
        Map<Integer, Integer> stripes = new HashMap<>();
        Map<String, Integer> buckets = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            Object fsm = new Object();
            int stripe = StoreOutage.AwaitedWrites.stripeOf(fsm);
            int h = fsm.hashCode();
            int bucket = (h ^ (h >>> 16)) & 63; // where a HashMap of 64 buckets puts it
            stripes.merge(stripe, 1, Integer::sum);
            buckets.merge(stripe + "/" + bucket, 1, Integer::sum);
        }
        int fullestStripe = stripes.values().stream().max(Integer::compare).orElseThrow();
        int fullestBucket = buckets.values().stream().max(Integer::compare).orElseThrow();
        assertTrue(stripes.size() >= 60, "1,000 keys use only " + stripes.size() + " of 64 stripes");
        assertTrue(fullestStripe <= 40, "a stripe holds " + fullestStripe + " of 1,000 keys");
        // a HashMap turns a bucket of 8 or more into a tree; the stripe picked by the low bits gave 29 here
        assertTrue(fullestBucket < 8, "a bucket of one stripe holds " + fullestBucket + " keys");
    }
}
