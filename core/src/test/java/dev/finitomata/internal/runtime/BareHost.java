package dev.finitomata.internal.runtime;

import dev.finitomata.internal.protocol.Command;
import java.time.Duration;
import java.util.Optional;

/** Hosts one FSM actor: it restores a running FSM by itself when {@code resumes}, as a woken gate's child does. */
record BareHost(boolean resumes) implements FsmHost {
    @Override
    public boolean restoresByItself() {
        return false;
    }

    @Override
    public boolean restoresRunning() {
        return resumes;
    }

    @Override
    public Optional<Duration> passivateIdleAfter() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> wakeAhead() {
        return Optional.empty();
    }

    @Override
    public void recovered(boolean running) {
    }

    @Override
    public void restarting(String cause) {
    }

    @Override
    public void writeInDoubt() {
    }

    @Override
    public void writeSettled() {
    }

    @Override
    public void running() {
    }

    @Override
    public void state(String state, long since) {
    }

    @Override
    public void ended() {
    }

    @Override
    public void idle() {
    }

    @Override
    public void awake() {
    }

    @Override
    public void reroute(Command command) {
    }
}
