package dev.finitomata.internal.local;

import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.WakesChanged;
import dev.finitomata.internal.runtime.FsmHost;
import dev.finitomata.internal.runtime.StateIndex;
import java.io.Serial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * it) that reaches an ended FSM goes back to the supervisor, which hands it to the next incarnation. One object per FSM
 * serves as host, gate and map entry, since FSMs are many.
 *
 * <p>Passivation: an idle FSM closes its gate the same way, marks itself {@link #SLEEPING} and sends itself
 * {@code Sleep}; a sender that finds the gate closed on a sleeping FSM goes through the supervisor, which holds the call
 * until the FSM either declines ({@link #awake()}: the gate opens, the held calls follow) or stops. A stopped one stays
 * in the map, {@link #DORMANT}, still counted and indexed, holding no actor: the next call, or the supervisor's wake
 * schedule ({@link #wakeAt()}, shortly before its earliest delayed transition), spawns a new incarnation that
 * recovers from the journal and runs at once ({@link #WAKING} until it opened its gate).
 */
final class LocalHost extends AtomicInteger implements FsmHost {

    @Serial
    private static final long serialVersionUID = 1L;
    /** Added to open the gate, and again to close it (int arithmetic wraps). */
    private static final int CLOSED = Integer.MIN_VALUE;
    /** Not passivating: the gate tells whether the FSM runs. */
    static final int AWAKE = 0;
    /** Idle, gate closed, {@code Sleep} on its way: the supervisor holds calls until it stops or declines. */
    static final int SLEEPING = 1;
    /** Passivated: no actor; the next call or its wake time brings a new incarnation. */
    static final int DORMANT = 2;
    /** A new incarnation of a passivated FSM recovers: calls go to it through the supervisor until its gate opens. */
    static final int WAKING = 3;

    private final transient String name;
    private final transient Running running;
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
    private transient volatile List<Command> beforeRunning = new ArrayList<>();
    /** This FSM in its supervisor's state index (entered with its first state), apart from the gate. */
    private final transient StateIndex.Entry indexed;
    /** {@link #AWAKE}, {@link #SLEEPING}, {@link #DORMANT} or {@link #WAKING}: set by the FSM and the supervisor. */
    private transient volatile int sleep;
    /** A new incarnation of a passivated FSM: it runs once recovered, and is counted already. */
    private transient boolean woken;
    /** When the supervisor wakes this passivated FSM (its clock's epoch milliseconds; MAX_VALUE: never). */
    private transient volatile long wakeAt = Long.MAX_VALUE;
    /** When its timer's next tick was due as it passivated (0: none); a woken incarnation goes on from there. */
    private transient long timerDueAt;
    /** Started by the wake index after a restart: it runs once recovered, and is counted then. */
    private transient boolean restored;
    /** What the wake index holds for this FSM: its earliest delay's due time (MAX_VALUE: nothing). FSM's thread. */
    private transient long rememberedDue = Long.MAX_VALUE;
    /** Calls the supervisor holds while this FSM passivates (its thread only); null when none. */
    private transient List<LocalSupervisor.Forward> held;

    LocalHost(String name, Running running, ActorRef<LocalSupervisor.Msg> supervisor) {
        this(name, running, supervisor, running.index().reserve(name)); // after the host: apart from its gate
    }

    private LocalHost(String name, Running running, ActorRef<LocalSupervisor.Msg> supervisor,
                      StateIndex.Entry indexed) {
        super(CLOSED);
        this.name = name;
        this.running = running;
        this.supervisor = supervisor;
        this.indexed = indexed;
    }

    /** The next incarnation of the passivated FSM of {@code dormant}: it keeps its count and its index entry. */
    LocalHost(LocalHost dormant) {
        this(dormant.name, dormant.running, dormant.supervisor, dormant.indexed);
        this.woken = true;
        this.sleep = WAKING;
        this.wakeAt = dormant.wakeAt;
        this.rememberedDue = dormant.rememberedDue;
        this.timerDueAt = dormant.timerDueAt;
    }

    /** An FSM the wake index holds (its earliest delay due at {@code due}), woken after a restart. */
    LocalHost(String name, Running running, ActorRef<LocalSupervisor.Msg> supervisor, long due) {
        this(name, running, supervisor);
        this.restored = true;
        this.sleep = WAKING;
        this.rememberedDue = due;
    }

    String name() {
        return name;
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

    boolean isOpen() {
        return get() >= 0;
    }

    /** Whether it runs here: gate open, or passivating, passivated or waking (the gate read before and after). */
    boolean runs() {
        return isOpen() || sleep != AWAKE || isOpen(); // the mark is set before the gate closes, cleared after it opens
    }

    /**
     * How a call reaches the FSM now: {@link #ENTERED} (send it, then {@link #leave()}), {@link #VIA_SUPERVISOR}, or
     * {@link #NOT_RUNNING}. The gate opens before the mark clears and the mark is set before the gate closes, so a
     * sender never finds both closed while the FSM runs.
     */
    int enterOrRoute() {
        while (true) {
            if (enter()) {
                return ENTERED;
            }
            if (sleep != AWAKE) {
                return VIA_SUPERVISOR;
            }
            if (!isOpen()) {
                return NOT_RUNNING;
            }
        }
    }

    static final int ENTERED = 0;
    static final int VIA_SUPERVISOR = 1;
    static final int NOT_RUNNING = 2;

    // ---- passivation, on the supervisor's thread ----

    int sleepState() {
        return sleep;
    }

    long wakeAt() {
        return wakeAt;
    }

    /** What the wake index holds for this FSM (its thread's view; read by the supervisor once it stopped). */
    long rememberedDue() {
        return rememberedDue;
    }

    /** Holds {@code call} until the FSM stops or declines to (or behind calls held so); whether it held it. */
    boolean holds(LocalSupervisor.Forward call) {
        if (held == null && sleep == SLEEPING) {
            held = new ArrayList<>();
        }
        return held != null && held.add(call);
    }

    /** The calls held, in order (none: empty), now handed back. */
    List<LocalSupervisor.Forward> takeHeld() {
        List<LocalSupervisor.Forward> calls = held == null ? List.of() : held;
        held = null;
        return calls;
    }

    /** The actor of this passivated FSM has stopped: it holds none now. */
    void dormant() {
        sleep = DORMANT;
        fsm = null;
    }

    // ---- the host, used by the FSM ----

    @Override
    public boolean restoresByItself() {
        return false;
    }

    @Override
    public boolean restoresRunning() {
        return (opened || woken || restored) && !ended; // restarted after a journal failure, or woken up
    }

    @Override
    public long timerResumesAt() {
        return woken && !opened ? timerDueAt : 0;
    }

    @Override
    public boolean restoresOnlyWithDelays() {
        return restored && !opened;
    }

    @Override
    public Optional<Duration> passivateIdleAfter() {
        return running.passivateIdleAfter();
    }

    @Override
    public Optional<Duration> wakeAhead() {
        return running.wakeAhead();
    }

    @Override
    public void recovered(boolean runs) {
        restarting = false;
        if ((woken || restored) && !opened && !ended) {
            if (runs) {
                running();
            } else if (woken) { // woken, it found itself not running after all (a refused migration): not counted
                woken = false;
                running.index().remove(indexed);
                running.closed();
                sleep = AWAKE;
            } else { // the wake index was stale: it does not run
                restored = false;
                sleep = AWAKE;
                forget();
            }
        }
    }

    // ---- the wake index ----

    @Override
    public void remembering(long earliestDueMillis) {
        if (earliestDueMillis >= rememberedDue) {
            return; // the index wakes it early enough
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        running.toIndex(supervisor, new LocalSupervisor.Remember(name, earliestDueMillis, written));
        if (WakeLog.awaitWritten(written, running.writeTimeout(), name, earliestDueMillis)) {
            rememberedDue = earliestDueMillis;
        }
    }

    @Override
    public void pendingNow(long earliestDueMillis) {
        if (earliestDueMillis == Long.MAX_VALUE) {
            forget();
        } else if (earliestDueMillis != rememberedDue) { // later: a stale earlier entry only wakes it early
            rememberedDue = earliestDueMillis;
            running.toIndex(supervisor, new LocalSupervisor.Remember(name, earliestDueMillis, null));
        }
    }

    private void forget() {
        if (rememberedDue != Long.MAX_VALUE || restored) {
            rememberedDue = Long.MAX_VALUE;
            running.toIndex(supervisor, new LocalSupervisor.Remember(name, WakesChanged.FORGET, null));
        }
    }

    @Override
    public void restarting(String cause) {
        restarting = true;
        if (!opened && !ended) { // its recovery failed: the calls routed to it wait in its stash
            supervisor.tell(new LocalSupervisor.Unrecovered(name, this, cause));
        }
    }

    /** This woken incarnation could not recover: it is stopped, and the FSM stays passivated (still counted). */
    void wakeFailed() {
        beforeRunning = null;
        sleep = DORMANT;
    }

    /** Whether this incarnation was woken from passivation and has not run yet. */
    boolean wakingUp() {
        return woken && !opened && !ended;
    }

    /** Whether this incarnation was started by the wake index and has not run yet. */
    boolean restoring() {
        return restored && !opened && !ended;
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
        List<Command> calls = beforeRunning;
        if (calls != null) {
            calls.add(command);
        }
    }

    /** What the supervisor routed to this incarnation that it has not run yet (null once it ran or ended). */
    List<Command> routedBeforeRunning() {
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
            if (!woken) {
                running.opened();
            }
            sleep = AWAKE; // after the gate opened
        }
    }

    @Override
    public void state(String state, long since) {
        indexed.state(state, since);
    }

    @Override
    public StateSink stateSink() {
        return indexed;
    }

    @Override
    public void ended() {
        if (ended) {
            return;
        }
        ended = true;
        beforeRunning = null;
        running.index().remove(indexed);
        if (opened) {
            if (sleep != SLEEPING) { // else closed already
                close();
            }
            running.closed();
        }
        sleep = AWAKE; // calls that went to the supervisor meanwhile follow the end there
        forget(); // (before the supervisor hears of the end, so before any next life remembers)
        supervisor.tell(new LocalSupervisor.ChildEnded(name, this));
    }

    /** Closes the open gate and waits until the senders that got in before it closed have sent. */
    private void close() {
        addAndGet(CLOSED);
        int spins = 0;
        while (get() != CLOSED) {
            if (++spins % 64 == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** The actor stopped without ending (a bug, or its system stops): the FSM no longer runs. */
    void abandoned() {
        if ((opened || woken) && !ended) {
            ended = true;
            running.index().remove(indexed);
            if (isOpen()) {
                addAndGet(CLOSED);
            }
            running.closed();
            sleep = AWAKE;
        }
    }

    /** Offers to passivate: closes the gate (calls now go through the supervisor), then the FSM decides. */
    @Override
    public void idle() {
        if (opened && !ended && sleep == AWAKE) {
            sleep = SLEEPING; // before the gate closes
            close();
            fsm.tell(new Command.Sleep()); // behind every call that got in
        }
    }

    @Override
    public void sleeps(long wakeAtMillis, long timerDueAtMillis) {
        wakeAt = wakeAtMillis;
        timerDueAt = timerDueAtMillis;
        running.passivated();
    }

    /** A call came after all: the gate opens again, and the supervisor sends what it held. */
    @Override
    public void awake() {
        if (sleep == SLEEPING) {
            addAndGet(CLOSED);
            sleep = AWAKE; // after the gate opened
            supervisor.tell(new LocalSupervisor.Awoke(name, this));
        }
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
