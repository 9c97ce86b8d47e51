package dev.finitomata.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The index's counts by state: exact after enters, moves and removals, however many threads move the FSMs. */
class StateIndexTest {

    @Test
    void countsFollowEntersMovesAndRemovals() {
        StateIndex index = new StateIndex();
        List<StateIndex.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            entries.add(index.enter("fsm-" + i, "a", i));
        }
        assertEquals(Map.of("a", 100L), index.countByState());
        for (int i = 0; i < 30; i++) {
            index.move(entries.get(i), "b", 1_000 + i);
        }
        index.move(entries.get(0), "b", 2_000); // no move: the same state
        assertEquals(Map.of("a", 70L, "b", 30L), index.countByState());
        index.remove(entries.get(1));
        index.remove("fsm-50");
        index.remove(entries.get(1)); // retired once only
        assertEquals(29, index.count("b"));
        assertEquals(69, index.count("a"));
        assertEquals(0, index.count("c"));
        assertEquals(null, index.enterIfAbsent("fsm-2", "c", 0), "fsm-2 runs here already");
        index.enter("fsm-2", "c", 0); // came back (passivated): replaces its old entry
        assertEquals(Map.of("a", 69L, "b", 28L, "c", 1L), index.countByState());
    }

    @Test
    void aReservedEntryEntersWithItsFirstStateAndReplacesAnOlderOne() {
        StateIndex index = new StateIndex();
        StateIndex.Entry older = index.enter("fsm-1", "a", 1);
        StateIndex.Entry reserved = index.reserve("fsm-1");
        StateIndex.Entry neverRan = index.reserve("fsm-2");
        assertEquals(Map.of("a", 1L), index.countByState(), "a reserved entry is not counted");
        assertEquals(1, index.size());
        reserved.state("b", 5); // its FSM tells its first state: it enters, and the older entry of the name goes
        assertEquals(Map.of("b", 1L), index.countByState());
        index.move(older, "c", 6); // the older one was retired: its moves count no more
        assertEquals(Map.of("b", 1L), index.countByState());
        reserved.state("c", 7);
        assertEquals(Map.of("c", 1L), index.countByState());
        assertEquals(List.of("fsm-1"), index.find(dev.finitomata.FsmQuery.inState("c")).stream()
                .map(dev.finitomata.FsmSummary::name).toList());
        index.remove(neverRan); // removed before it ever entered: nothing to count down
        neverRan.state("a", 8); // and a state told after its removal does not bring it back
        assertEquals(Map.of("c", 1L), index.countByState());
        assertEquals(1, index.size());
        index.remove(reserved);
        assertEquals(Map.of(), index.countByState());
        assertEquals(0, index.size());
    }

    @Test
    void concurrentMovesLeaveExactCounts() throws Exception {
        StateIndex index = new StateIndex();
        int threads = 4;
        int perThread = 500;
        List<List<StateIndex.Entry>> owned = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<StateIndex.Entry> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(index.enter("t" + t + "-" + i, "a", 0));
            }
            owned.add(mine);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> movers = new ArrayList<>();
        for (List<StateIndex.Entry> mine : owned) {
            movers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int round = 0; round < 101; round++) { // an odd number of moves: each ends in b
                    for (StateIndex.Entry entry : mine) {
                        index.move(entry, round % 2 == 0 ? "b" : "a", round);
                    }
                }
            }));
        }
        go.countDown();
        for (Thread mover : movers) {
            mover.join();
        }
        assertEquals(Map.of("b", (long) threads * perThread), index.countByState());
    }
}
