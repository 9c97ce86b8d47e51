package dev.finitomata.internal.local;

import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.runtime.FsmHost;
import dev.finitomata.internal.runtime.StateIndex;
import java.io.Serial;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * INTERNAL API. How one FSM incarnation is hosted by a {@link LocalSupervisor}, and the gate the facade sends
 * through: the value of this integer counts the callers sending to the FSM right now, and is negative while the gate
 * is closed (before the FSM runs, and after it ended).
 *
 * <p>Design: the facade sends to an FSM directly, after reading its host from a concurrent map. A caller could read
 * it, then lose the processor while the FSM ends; its message would then reach an actor that has stopped, and its ask
 * would wait for the timeout. So a sender enters the gate before it sends and leaves after, and the FSM, when it ends,
 * closes the gate and waits (a few instructions) until no sender is inside, before it tells the supervisor. Every
 * message a sender got in is then in the FSM's mailbox ahead of the supervisor's {@code Shutdown} and is answered as
 * "not running"; a sender that comes later finds the gate closed and answers at once itself. A start (and what follows
 * it) that reaches an ended FSM goes back to the supervisor, which hands it to the next incarnation. Local FSMs never
 * passivate. One object per FSM serves as host, gate and map entry, since FSMs are many.
 */
final class LocalHost extends AtomicInteger implements FsmHost {

    @Serial
    private static final long serialVersionUID = 1L;
    /** Added to open the gate, and again to close it (int arithmetic wraps). */
    private static final int CLOSED = Integer.MIN_VALUE;

    private final transient String name;
    private final transient LocalFsms.Running running;
    private final transient ActorRef<LocalSupervisor.Msg> supervisor;
    private transient volatile ActorRef<Command> fsm;
    private transient boolean opened;
    private transient boolean ended;
    /** Set by the FSM's thread, read by the facade's and the supervisor's. */
    private transient volatile boolean restarting;
    /**
     * The calls the supervisor routed here before the FSM ran: answered by the supervisor if the FSM cannot recover
     * because the journal is down (its stash would keep them until it is back). Read and added to on the
     * supervisor's thread; dropped (null) by the FSM's once it runs or ends.
     */
    private transient volatile java.util.List<Command> beforeRunning = new java.util.ArrayList<>();
    /** This FSM in its supervisor's state index, once it entered a state (volatile: {@link #abandoned} may read it). */
    private transient volatile StateIndex.Entry indexed;

    LocalHost(String name, LocalFsms.Running running, ActorRef<LocalSupervisor.Msg> supervisor) {
        super(CLOSED);
        this.name = name;
        this.running = running;
        this.supervisor = supervisor;
    }

    /** Called on the FSM's thread when its actor is built, before anything can open the gate. */
    LocalHost attach(ActorRef<Command> actor) {
        this.fsm = actor;
        return this;
    }

    ActorRef<Command> fsm() {
        return fsm;
    }

    // ---- the gate, used by the facade ----

    /** Enters the gate; false when the FSM does not run. Pair a true answer with {@link #leave()}. */
    boolean enter() {
        if (getAndIncrement() < 0) {
            decrementAndGet();
            return false;
        }
        return true;
    }

    void leave() {
        decrementAndGet();
    }

    /** Sends {@code command} if the FSM runs; answers whether it was sent. */
    boolean tell(Command command) {
        if (!enter()) {
            return false;
        }
        try {
            fsm.tell(command);
            return true;
        } finally {
            leave();
        }
    }

    boolean isOpen() {
        return get() >= 0;
    }

    // ---- the host, used by the FSM ----

    @Override
    public boolean restoresByItself() {
        return false;
    }

    @Override
    public boolean restoresRunning() {
        return opened && !ended; // restarted after a journal failure while running
    }

    @Override
    public Optional<Duration> passivateIdleAfter() {
        return Optional.empty();
    }

    @Override
    public void recovered(boolean running) {
        restarting = false;
    }

    @Override
    public void restarting(String cause) {
        restarting = true;
        if (!opened && !ended) { // its recovery failed: the calls routed to it wait in its stash
            supervisor.tell(new LocalSupervisor.Unrecovered(name, this, cause));
        }
    }

    @Override
    public void writeInDoubt() {
        restarting = true; // the facade sends through the supervisor, which answers at once while the journal is down
    }

    @Override
    public void writeSettled() {
        restarting = false;
    }

    /** The supervisor routed {@code command} to this incarnation (on its thread); kept until the FSM runs or ends. */
    void routed(Command command) {
        java.util.List<Command> calls = beforeRunning;
        if (calls != null) {
            calls.add(command);
        }
    }

    /** What the supervisor routed to this incarnation that it has not run yet (null once it ran or ended). */
    java.util.List<Command> routedBeforeRunning() {
        return beforeRunning;
    }

    /** Whether the FSM restarts from its journal after a journal failure (it answers nothing until recovered). */
    boolean isRestarting() {
        return restarting;
    }

    @Override
    public void running() {
        if (!opened) {
            opened = true;
            beforeRunning = null;
            addAndGet(CLOSED);
            running.opened();
        }
    }

    @Override
    public void state(String state, long since) {
        if (indexed == null) {
            indexed = running.index().enter(name, state, since);
        } else {
            running.index().move(indexed, state, since);
        }
    }

    private void unindex() {
        if (indexed != null) {
            running.index().remove(indexed);
        }
    }

    @Override
    public void ended() {
        if (ended) {
            return;
        }
        ended = true;
        beforeRunning = null;
        unindex();
        if (opened) {
            addAndGet(CLOSED);
            running.closed();
            int spins = 0;
            while (get() != CLOSED) { // senders that got in before it closed are still sending
                if (++spins % 64 == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
        }
        supervisor.tell(new LocalSupervisor.ChildEnded(name, this));
    }

    /** The actor stopped without ending (a bug, or its system stops): the FSM no longer runs. */
    void abandoned() {
        if (opened && !ended) {
            ended = true;
            unindex();
            addAndGet(CLOSED);
            running.closed();
        }
    }

    @Override
    public void idle() {
    }

    @Override
    public void awake() {
    }

    @Override
    public void reroute(Command command) {
        supervisor.tell(new LocalSupervisor.Bounced(name, command));
    }

    @Override
    public String toString() {
        return "LocalHost(" + name + (isOpen() ? ", running)" : ")");
    }
}
