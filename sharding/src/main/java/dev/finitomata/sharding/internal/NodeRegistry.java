package dev.finitomata.sharding.internal;

import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.runtime.StateIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * INTERNAL API. The names of the FSMs of one {@code Infinitomata} that run on this node, kept by those who hold them:
 * a gate here (added when its FSM starts running or is restored, removed when it ends or its shard moves away; a
 * gate whose FSM's actor passivated stays), and a {@link SleepRegister} here for the FSMs parked in it (their gates
 * gone). A name both hold for a moment (an FSM being parked, or waking up) counts once. With each name, its state and since when
 * ({@link StateIndex}), removed when its last holder lets go. Read by this node's census actor.
 */
public final class NodeRegistry {

    private static final int GATE = 1;
    private static final int PARKED = 2;

    private final ConcurrentHashMap<String, Integer> holders = new ConcurrentHashMap<>();
    private final StateIndex index;
    private final LongAdder passivations = new LongAdder();
    private final LongAdder dormant = new LongAdder();
    private final LongAdder parked = new LongAdder();
    /** Calls a leaving gate handed back, for the next gate of the name here ({@link GateHandover}). */
    private final ConcurrentHashMap<String, HandedBack> handedBack = new ConcurrentHashMap<>();

    private record HandedBack(List<Command> calls, long atNanos) {
    }

    /** @param index the index of the FSM type on this node ({@code FsmType.index()}) */
    public NodeRegistry(StateIndex index) {
        this.index = index;
    }

    /** A gate here holds the running FSM {@code name}. */
    public void add(String name) {
        holders.merge(name, GATE, (a, b) -> a | b);
    }

    /**
     * The gate of {@code name} lets it go (it ended, its shard moved away, or its shard's register parked it): unless
     * parked here, it is gone. Parked here, its index entry stays, the register's now (the register made none while
     * the gate had one).
     */
    public void remove(String name) {
        if (release(name, GATE)) {
            index.remove(name);
        }
    }

    /** The register here parks {@code name} (in {@code state} since {@code since}); its index entry, if it made one. */
    public StateIndex.Entry park(String name, String state, long since) {
        holders.merge(name, PARKED, (a, b) -> a | b);
        parked.increment();
        return index.enterIfAbsent(name, state, since);
    }

    /** The register here no longer parks {@code name} ({@code entry}: the index entry it made, or null). */
    public void unpark(String name, StateIndex.Entry entry) {
        parked.decrement();
        if (release(name, PARKED)) {
            index.remove(name);
        } else if (entry != null) {
            index.remove(entry); // (its gate here entered its own since, which stays)
        }
    }

    /** Clears {@code holder} of {@code name}; whether nobody holds it now. */
    private boolean release(String name, int holder) {
        boolean[] gone = {false};
        holders.computeIfPresent(name, (n, held) -> {
            int left = held & ~holder;
            gone[0] = left == 0;
            return left == 0 ? null : left;
        });
        return gone[0] || !holders.containsKey(name);
    }

    /** A leaving gate of {@code name} hands {@code calls} back to sharding, in this order. */
    void handedBack(String name, List<Command> calls, Duration fresh) {
        long now = System.nanoTime();
        // a list whose next gate started elsewhere (the shard moved) is never taken here: dropped once stale
        handedBack.values().removeIf(old -> now - old.atNanos() > fresh.toNanos());
        handedBack.put(name, new HandedBack(calls, now));
    }

    /** The calls the last gate of {@code name} here handed back, if it did within {@code fresh}; null if not. */
    List<Command> takeHandedBack(String name, Duration fresh) {
        HandedBack calls = handedBack.remove(name);
        return calls == null || System.nanoTime() - calls.atNanos() > fresh.toNanos() ? null : calls.calls();
    }

    /** The FSMs running here by state (passivated ones included). */
    public StateIndex index() {
        return index;
    }

    /** An FSM's actor here passivates. */
    public void passivated() {
        passivations.increment();
    }

    /** How many times FSM actors passivated on this node. */
    public long passivations() {
        return passivations.sum();
    }

    /** A gate here holds a passivated FSM ({@code +1}), or no longer does ({@code -1}). */
    public void dormant(int change) {
        dormant.add(change);
    }

    /** How many FSMs are passivated here now: held by their gates, or parked in a register here. */
    public long passivatedNow() {
        return dormant.sum() + parked.sum();
    }

    public int size() {
        return holders.size();
    }

    public List<String> names() {
        return new ArrayList<>(holders.keySet());
    }

    public Optional<String> any() {
        List<String> names = names();
        return names.isEmpty() ? Optional.empty()
                : Optional.of(names.get(ThreadLocalRandom.current().nextInt(names.size())));
    }
}
