package dev.finitomata.sharding.internal;

import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.runtime.FsmHost;
import dev.finitomata.internal.runtime.StateIndex;
import dev.finitomata.sharding.internal.GateMessage.Note;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * INTERNAL API. How a sharded FSM is hosted: everything it has to say goes to its {@link FsmGate}, which decides.
 * The cluster restores running FSMs by itself (remembered entities), so a recovered running FSM runs at once.
 *
 * <p>Design: the node's {@link NodeRegistry} is updated here, on the FSM's own thread, before the FSM answers the
 * call that started or ended it; the gate hears the news later. So a caller that saw {@code STARTED} (or a
 * transition to {@code *}) finds the census already saying so.
 */
public final class ShardedHost implements FsmHost {

    private final ActorRef<Command> gate;
    private final String name;
    private final NodeRegistry registry;
    private final Optional<Duration> passivateIdleAfter;
    private final Optional<Duration> wakeAhead;
    /** Read by the first recovery only: a restart after a journal failure starts the timer's interval again. */
    private final LongSupplier timerResumesAt;
    private boolean resumed;
    private boolean ended;
    /** This FSM in the node's state index, once it entered a state. */
    private StateIndex.Entry indexed;
    /** Its state and since when, as last entered in the index (told to the gate as it passivates). */
    private String state;
    private long since;

    /**
     * @param wakeAhead      how long before a passivated FSM's earliest delayed transition or timer tick its gate
     *                       wakes it
     * @param timerResumesAt for a child woken from passivation, when its timer's tick is due (0: not woken); read as
     *                       the FSM recovers
     */
    public ShardedHost(ActorRef<Command> gate, String name, NodeRegistry registry,
                       Duration passivateIdleAfter, Duration wakeAhead, LongSupplier timerResumesAt) {
        this.gate = gate;
        this.name = name;
        this.registry = registry;
        this.passivateIdleAfter = passivateIdleAfter.isZero() ? Optional.empty() : Optional.of(passivateIdleAfter);
        this.wakeAhead = Optional.of(wakeAhead);
        this.timerResumesAt = timerResumesAt;
    }

    @Override
    public boolean restoresByItself() {
        return true;
    }

    @Override
    public boolean restoresRunning() {
        return true;
    }

    @Override
    public Optional<Duration> passivateIdleAfter() {
        return passivateIdleAfter;
    }

    @Override
    public Optional<Duration> wakeAhead() {
        return wakeAhead; // the gate wakes a passivated FSM for its delays and its timer
    }

    @Override
    public void sleeps(long wakeAtMillis, long timerDueAtMillis) {
        registry.passivated();
        gate.tell(new GateMessage.Sleeps(wakeAtMillis, timerDueAtMillis, state, since)); // before it hears of the stop
    }

    @Override
    public long timerResumesAt() {
        if (resumed) {
            return 0;
        }
        resumed = true;
        return timerResumesAt.getAsLong();
    }

    @Override
    public void recovered(boolean running) {
        if (running) {
            registry.add(name);
        }
        tell(running ? Note.RECOVERED_RUNNING : Note.RECOVERED_VACANT);
    }

    @Override
    public void restarting(String cause) {
        gate.tell(new GateMessage.Hosting(Note.RESTARTING, null, cause));
    }

    @Override
    public void writeInDoubt() {
        tell(Note.WRITE_IN_DOUBT);
    }

    @Override
    public void writeSettled() {
        tell(Note.WRITE_SETTLED);
    }

    @Override
    public void running() {
        registry.add(name);
        tell(Note.RUNNING);
    }

    @Override
    public void state(String state, long since) {
        this.state = state;
        this.since = since;
        if (indexed == null) {
            indexed = registry.index().enter(name, state, since);
        } else {
            registry.index().move(indexed, state, since);
        }
    }

    @Override
    public void ended() {
        if (!ended) {
            ended = true;
            registry.remove(name);
            tell(Note.ENDED);
        }
    }

    @Override
    public void idle() {
        tell(Note.IDLE);
    }

    @Override
    public void awake() {
        tell(Note.AWAKE);
    }

    @Override
    public void reroute(Command command) {
        gate.tell(new GateMessage.Hosting(Note.REROUTE, command, null));
    }

    private void tell(Note note) {
        gate.tell(new GateMessage.Hosting(note, null, null));
    }
}
