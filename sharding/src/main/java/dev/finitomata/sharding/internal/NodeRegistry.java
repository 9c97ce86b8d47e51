package dev.finitomata.sharding.internal;

import dev.finitomata.internal.runtime.StateIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * INTERNAL API. The names of the FSMs of one {@code Infinitomata} that run on this node (their gates are here), kept
 * by the FSMs themselves (on their own thread, before they answer) and by their gates: added when an FSM starts
 * running or is restored, removed when it ends or its shard moves away. A passivated FSM stays. With each name, its
 * state and since when ({@link StateIndex}). Read by this node's census actor.
 */
public final class NodeRegistry {

    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final StateIndex index;
    private final LongAdder passivations = new LongAdder();
    private final LongAdder dormant = new LongAdder();

    /** @param index the index of the FSM type on this node ({@code FsmType.index()}) */
    public NodeRegistry(StateIndex index) {
        this.index = index;
    }

    public void add(String name) {
        running.add(name);
    }

    public void remove(String name) {
        running.remove(name);
        index.remove(name);
    }

    /** The FSMs running here by state (passivated ones included). */
    public StateIndex index() {
        return index;
    }

    /** An FSM's actor here passivates (its gate stays). */
    public void passivated() {
        passivations.increment();
    }

    /** A gate here holds a passivated FSM ({@code +1}), or no longer does ({@code -1}). */
    public void dormant(int change) {
        dormant.add(change);
    }

    /** How many FSMs on this node are passivated now (their gate stays, their actor is stopped). */
    public long dormant() {
        return dormant.sum();
    }

    /** How many times FSM actors passivated on this node. */
    public long passivations() {
        return passivations.sum();
    }

    public int size() {
        return running.size();
    }

    public List<String> names() {
        return new ArrayList<>(running);
    }

    public Optional<String> any() {
        List<String> names = names();
        return names.isEmpty() ? Optional.empty()
                : Optional.of(names.get(ThreadLocalRandom.current().nextInt(names.size())));
    }
}
