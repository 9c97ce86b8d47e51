package dev.finitomata.internal.runtime;

import dev.finitomata.FsmQuery;
import dev.finitomata.FsmSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * INTERNAL API. The running FSMs of one supervisor on one node, by state: what {@code countByState} and {@code find}
 * answer from. Exact, in memory, updated by each FSM on its own thread before it answers the call that moved it (so a
 * caller reads its own writes), and rebuilt by the FSMs themselves as they start, load or recover (it is not
 * persisted: after a crash or a failover every FSM that comes back enters itself again). Passivated FSMs stay, since
 * their host keeps them.
 *
 * <p>Design: the cost is on the hot path of every transition, so a transition does as little as it can: the FSM's host
 * holds its {@link Entry} (obtained once, by {@link #enter} or {@link #reserve}), and {@link #move} updates the entry's
 * state and since in place under the entry's own (uncontended) lock, moving one count from the old state's counter to
 * the new one's when the state changes; no lookup, no allocation. The counters are {@code AtomicLong}s, not
 * {@code LongAdder}s: an adder spreads updates by a per-thread probe, which a thread has only after its first contended
 * update, and FSMs run on a fresh virtual thread per mailbox run, so updates went through the adder's slow path that
 * seeds the probe (a JFR profile put 80% of the index's samples there). Counts read the per-state counters (O(states)).
 * A query scans the entries and keeps the oldest {@code limit} matches in a bounded heap (O(n log limit)): about 30 ms
 * for 1,000,000 FSMs (docs/BENCHMARKS.md, {@code -Dbench=Query}), well inside the second an operator's question may
 * take. An earlier version kept a skip list per state for O(log n) queries; it cost a fifth of the in-memory transition
 * rate. About 80 bytes per FSM.
 */
public final class StateIndex {

    /**
     * One FSM in the index: its state and when it entered it (epoch milliseconds); its host keeps it. One made by
     * {@link #reserve} enters the index when its FSM first tells it a state: the FSM's thread tells it every state
     * ({@link FsmHost.StateSink}), so it lies apart from the host's fields that callers write (false sharing, docs/
     * BENCHMARKS.md, fourteenth session), and costs no object of its own (the index's reference fits the padding).
     */
    public static final class Entry implements FsmHost.StateSink {
        private final StateIndex index;
        private final String name;
        /** Null while reserved: not in the index, not counted. */
        private String state;
        private long since;
        private AtomicLong counted;
        private boolean gone;

        private Entry(StateIndex index, String name, String state, long since, AtomicLong counted) {
            this.index = index;
            this.name = name;
            this.state = state;
            this.since = since;
            this.counted = counted;
        }

        @Override
        public void state(String state, long since) {
            index.move(this, state, since);
        }

        private synchronized FsmSummary ifMatches(String wanted, long before, long afterSince, String afterName) {
            if (gone || !state.equals(wanted) || since >= before) {
                return null;
            }
            if (afterName != null && (since < afterSince || since == afterSince && name.compareTo(afterName) <= 0)) {
                return null;
            }
            return new FsmSummary(name, state, Instant.ofEpochMilli(since));
        }
    }

    private static final Comparator<FsmSummary> OLDEST_FIRST =
            Comparator.comparing(FsmSummary::since).thenComparing(FsmSummary::name);

    private final ConcurrentHashMap<String, Entry> byName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();

    private AtomicLong counter(String state) {
        AtomicLong counter = counts.get(state);
        return counter != null ? counter : counts.computeIfAbsent(state, s -> new AtomicLong());
    }

    /**
     * The FSM {@code name} runs here in {@code state}, entered at {@code since}: its new entry, which replaces any
     * older one of the name (a passivated FSM that came back). Its host keeps it for {@link #move} and
     * {@link #remove(Entry)}.
     */
    public Entry enter(String name, String state, long since) {
        AtomicLong counter = counter(state);
        Entry entry = new Entry(this, name, state, since, counter);
        counter.incrementAndGet();
        Entry old = byName.put(name, entry);
        if (old != null) {
            retire(old);
        }
        return entry;
    }

    /**
     * As {@link #enter}, unless the name has an entry already (its FSM runs here, awake): then null, and nothing
     * changes.
     */
    public Entry enterIfAbsent(String name, String state, long since) {
        AtomicLong counter = counter(state);
        Entry entry = new Entry(this, name, state, since, counter);
        if (byName.putIfAbsent(name, entry) != null) {
            return null;
        }
        counter.incrementAndGet();
        return entry;
    }

    /**
     * An entry for the FSM {@code name} that enters the index (replacing any older one of the name, as {@link #enter})
     * when it is first told a state; until then it is neither found nor counted.
     */
    public Entry reserve(String name) {
        return new Entry(this, name, null, 0, null);
    }

    /** The FSM of {@code entry} now runs in {@code state}, entered at {@code since}. */
    public void move(Entry entry, String state, long since) {
        synchronized (entry) {
            if (entry.gone) {
                return;
            }
            if (entry.state == null) { // reserved: it enters now (a removal waits for the lock, then takes it out)
                entry.counted = counter(state);
                entry.counted.incrementAndGet();
                entry.state = state;
                entry.since = since;
                Entry old = byName.put(entry.name, entry);
                if (old != null && old != entry) {
                    retire(old);
                }
                return;
            }
            if (!entry.state.equals(state)) {
                entry.counted.decrementAndGet();
                entry.counted = counter(state);
                entry.counted.incrementAndGet();
                entry.state = state;
            }
            entry.since = since;
        }
    }

    /** The FSM of {@code entry} no longer runs here (finished, stopped, erased). */
    public void remove(Entry entry) {
        retire(entry); // first: an entry being entered is either in the map once the lock is free, or stays out
        byName.remove(entry.name, entry);
    }

    /** The FSM {@code name} no longer runs here (its shard moved away, or it ended). */
    public void remove(String name) {
        Entry entry = byName.remove(name);
        if (entry != null) {
            retire(entry);
        }
    }

    private static void retire(Entry entry) {
        synchronized (entry) {
            if (!entry.gone) {
                entry.gone = true;
                if (entry.counted != null) { // null: reserved, never counted
                    entry.counted.decrementAndGet();
                }
            }
        }
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

    /** The FSMs {@code query} asks for, oldest first (by since, then name). */
    public List<FsmSummary> find(FsmQuery query) {
        if (count(query.state()) == 0) {
            return new ArrayList<>();
        }
        long before = query.enteredBeforeInstant().map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
        FsmSummary after = query.afterSummary().orElse(null);
        long afterSince = after == null ? 0 : after.since().toEpochMilli();
        String afterName = after == null ? null : after.name();
        int limit = query.limit();
        PriorityQueue<FsmSummary> newestOnTop = new PriorityQueue<>(Math.min(limit, 1024) + 1,
                OLDEST_FIRST.reversed());
        for (Entry entry : byName.values()) {
            FsmSummary match = entry.ifMatches(query.state(), before, afterSince, afterName);
            if (match != null && (newestOnTop.size() < limit || OLDEST_FIRST.compare(match, newestOnTop.peek()) < 0)) {
                newestOnTop.add(match);
                if (newestOnTop.size() > limit) {
                    newestOnTop.poll();
                }
            }
        }
        List<FsmSummary> found = new ArrayList<>(newestOnTop);
        found.sort(OLDEST_FIRST);
        return found;
    }

    /** The running FSMs indexed here. */
    public int size() {
        return byName.size();
    }

    /** Merges per-node answers of {@link #find}: oldest first, at most {@code limit}. */
    public static List<FsmSummary> merge(List<List<FsmSummary>> answers, int limit) {
        return answers.stream().flatMap(List::stream).sorted(OLDEST_FIRST).limit(limit).toList();
    }
}
