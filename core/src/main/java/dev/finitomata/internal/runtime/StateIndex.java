package dev.finitomata.internal.runtime;

import dev.finitomata.FsmQuery;
import dev.finitomata.FsmSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * INTERNAL API. The running FSMs of one supervisor on one node, by state: what {@code countByState} and {@code find}
 * answer from. Exact, in memory, updated by each FSM on its own thread before it answers the call that moved it (so a
 * caller reads its own writes), and rebuilt by the FSMs themselves as they start, load or recover (it is not
 * persisted: after a crash or a failover every FSM that comes back enters itself again). Passivated FSMs stay, since
 * their host keeps them.
 *
 * <p>Design: one {@link Slot} per FSM, shared by the name map and its state's skip list ordered by (since, name), and
 * a counter per state; about 100 bytes per FSM against the ~3 KB of the FSM itself. Counts read the counters
 * (O(states)); a query walks its state's list from the oldest (or from the page's cursor), stopping at the time bound
 * or the limit (O(log n + results)). An FSM's updates come from its own thread, one at a time; a per-name
 * {@code compute} keeps the three structures agreeing against a concurrent removal by the host.
 */
public final class StateIndex {

    /** One FSM in the index: its state and when it entered it (epoch milliseconds). */
    private record Slot(String state, long since, String name) {
    }

    private static final Comparator<Slot> ORDER = Comparator.comparingLong(Slot::since).thenComparing(Slot::name);

    private final ConcurrentHashMap<String, Slot> byName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, NavigableSet<Slot>> byState = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** The FSM {@code name} runs in {@code state}, entered at {@code since}. */
    public void put(String name, String state, long since) {
        byName.compute(name, (n, old) -> {
            if (old != null) {
                if (old.state().equals(state) && old.since() == since) {
                    return old;
                }
                unlink(old);
            }
            Slot slot = new Slot(state, since, n);
            byState.computeIfAbsent(state, s -> new ConcurrentSkipListSet<>(ORDER)).add(slot);
            counts.computeIfAbsent(state, s -> new AtomicLong()).incrementAndGet();
            return slot;
        });
    }

    /** The FSM {@code name} no longer runs here (finished, stopped, erased, handed off). */
    public void remove(String name) {
        byName.computeIfPresent(name, (n, old) -> {
            unlink(old);
            return null;
        });
    }

    private void unlink(Slot slot) {
        byState.get(slot.state()).remove(slot);
        counts.get(slot.state()).decrementAndGet();
    }

    /** How many FSMs run in each state; a state with none is absent. */
    public Map<String, Long> countByState() {
        Map<String, Long> result = new TreeMap<>();
        counts.forEach((state, count) -> {
            long n = count.get();
            if (n > 0) {
                result.put(state, n);
            }
        });
        return result;
    }

    /** How many FSMs run in {@code state}. */
    public long count(String state) {
        AtomicLong count = counts.get(state);
        return count == null ? 0 : count.get();
    }

    /** The FSMs {@code query} asks for, oldest first. */
    public List<FsmSummary> find(FsmQuery query) {
        NavigableSet<Slot> slots = byState.get(query.state());
        List<FsmSummary> found = new ArrayList<>();
        if (slots == null) {
            return found;
        }
        long before = query.enteredBeforeInstant().map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
        NavigableSet<Slot> from = query.afterSummary().map(last -> slots.tailSet(new Slot(query.state(),
                last.since().toEpochMilli(), last.name()), false)).orElse(slots);
        for (Slot slot : from) {
            if (slot.since() >= before || found.size() >= query.limit()) {
                break;
            }
            found.add(summary(slot));
        }
        return found;
    }

    /** The running FSMs indexed here. */
    public int size() {
        return byName.size();
    }

    private static FsmSummary summary(Slot slot) {
        return new FsmSummary(slot.name(), slot.state(), Instant.ofEpochMilli(slot.since()));
    }

    /** Merges per-node answers of {@link #find}: oldest first, at most {@code limit}. */
    public static List<FsmSummary> merge(List<List<FsmSummary>> answers, int limit) {
        return answers.stream().flatMap(List::stream)
                .sorted(Comparator.comparing(FsmSummary::since).thenComparing(FsmSummary::name))
                .limit(limit).toList();
    }
}
