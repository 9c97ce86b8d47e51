package dev.finitomata.internal.local;

import dev.finitomata.internal.runtime.FsmSettings;
import dev.finitomata.internal.runtime.StateIndex;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * INTERNAL API. What the FSMs of one local facade share: how many run, their state index, and the passivation
 * settings.
 */
final class Running {
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong passivations = new AtomicLong();
    private final StateIndex index;
    private final Optional<Duration> passivateIdleAfter;
    private final Optional<Duration> wakeAhead;
    private final Duration writeTimeout;

    Running(StateIndex index, FsmSettings settings) {
        this.index = index;
        this.passivateIdleAfter = settings.passivateIdleAfter().isZero() ? Optional.empty()
                : Optional.of(settings.passivateIdleAfter());
        this.wakeAhead = Optional.of(settings.wakeAhead());
        this.writeTimeout = settings.askTimeout();
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
