package dev.finitomata.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConsistentHashRingTest {

    private static final List<String> SHARDS = IntStream.range(0, 1000).mapToObj(Integer::toString).toList();

    private static ConsistentHashRing<String> ring(String... nodes) {
        return ConsistentHashRing.of(List.of(nodes), Function.identity(), ConsistentHashRing.DEFAULT_VIRTUAL_NODES);
    }

    @Test
    void spreadsShardsWithin20PercentOfEven() {
        for (int n = 2; n <= 6; n++) {
            String[] nodes = IntStream.range(0, n).mapToObj(i -> "pekko://app@127.0.0.1:" + (2551 + i))
                    .toArray(String[]::new);
            Map<String, Long> spread = ring(nodes).spread(SHARDS);
            double even = SHARDS.size() / (double) n;
            for (long count : spread.values()) {
                assertTrue(Math.abs(count - even) <= 0.2 * even, n + " nodes: " + spread);
            }
        }
    }

    @Test
    void addingOrRemovingANodeMovesAboutOneNth() {
        ConsistentHashRing<String> three = ring("a", "b", "c");
        ConsistentHashRing<String> four = ring("a", "b", "c", "d");
        long moved = SHARDS.stream().filter(s -> !three.owner(s).equals(four.owner(s))).count();
        assertTrue(moved > 150 && moved < 350, "adding 1 of 4 nodes moved " + moved + " of 1000 (ideal 250)");
        assertTrue(SHARDS.stream().filter(s -> !three.owner(s).equals(four.owner(s)))
                .allMatch(s -> four.owner(s).equals("d")), "shards only move to the new node");
        ConsistentHashRing<String> two = ring("a", "c");
        long removed = SHARDS.stream().filter(s -> !three.owner(s).equals(two.owner(s))).count();
        assertEquals(three.spread(SHARDS).get("b"), removed, "removing b moves exactly b's shards");
    }

    @Test
    void isDeterministicAndRejectsBadInput() {
        assertEquals(ring("x", "y").owner("42"), ring("y", "x").owner("42"));
        assertThrows(IllegalStateException.class, () -> ring().owner("1"));
        assertThrows(IllegalArgumentException.class, () -> ConsistentHashRing.of(List.of("a"), Function.identity(), 0));
    }
}
