package dev.finitomata.internal.local;

import dev.finitomata.internal.runtime.FsmSettings;
import dev.finitomata.internal.runtime.StateIndex;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * INTERNAL API. What the FSMs of one local facade share: how many run, their state index, the passivation
 * settings, and how many changes they told the wake index.
 */
final class Running {
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong passivations = new AtomicLong();
    private final StateIndex index;
    private final Optional<Duration> passivateIdleAfter;
    private final Optional<Duration> wakeAhead;
    private final Duration writeTimeout;

    /**
     * @param virtualTime whether the ActorSystem runs on Pekko's {@code ManualTime} (the test kit's virtual time):
     *                    its FSMs do not passivate. The kit's settle at every step counts as a call, so they never
     *                    stayed idle for a whole interval anyway, and the idle checks alone made a step of the kit
     *                    every {@code passivate-idle-after} of virtual time: with the default 120 s, 30 steps per
     *                    virtual hour instead of one (25 times slower: docs/BENCHMARKS.md). Passivation is invisible
     *                    by contract, so tests see the same FSMs.
     */
    Running(StateIndex index, FsmSettings settings, boolean virtualTime) {
        this.index = index;
        this.passivateIdleAfter = settings.passivateIdleAfter().isZero() || virtualTime ? Optional.empty()
                : Optional.of(settings.passivateIdleAfter());
        this.wakeAhead = Optional.of(settings.wakeAhead());
        this.writeTimeout = settings.askTimeout();
    }

    /** The changes told to the wake index so far, and how many of them it had written (or given up) when last idle. */
    private final AtomicLong toIndex = new AtomicLong();
    private volatile long indexed;

    /** An FSM tells its supervisor a change of the wake index: counted first (see {@link #indexIdle}). */
    void toIndex(ActorRef<LocalSupervisor.Msg> supervisor, LocalSupervisor.Remember change) {
        toIndex.incrementAndGet();
        supervisor.tell(change);
    }

    /** The wake index, idle, has handled {@code changes} changes. */
    void indexed(long changes) {
        indexed = changes;
    }

    /**
     * Whether the wake index has nothing under way: every change told to it has been written (or given up). False
     * while one is on its way to the supervisor, so the test kit asks the supervisor then ({@code IndexSettle}).
     */
    boolean indexIdle() {
        return toIndex.get() == indexed;
    }

    /** How long an FSM waits for the wake index to take its delay. */
    Duration writeTimeout() {
        return writeTimeout;
    }

    Optional<Duration> passivateIdleAfter() {
        return passivateIdleAfter;
    }

    Optional<Duration> wakeAhead() {
        return wakeAhead;
    }

    long passivations() {
        return passivations.get();
    }

    void passivated() {
        passivations.incrementAndGet();
    }

    /** The running FSMs by state. */
    StateIndex index() {
        return index;
    }

    void opened() {
        count.incrementAndGet();
    }

    void closed() {
        count.decrementAndGet();
    }

    int count() {
        return count.get();
    }
}
