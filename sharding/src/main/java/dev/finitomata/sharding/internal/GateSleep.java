package dev.finitomata.sharding.internal;

import dev.finitomata.internal.protocol.Command;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * INTERNAL API. What an {@link FsmGate} knows of its FSM's passivation: when it must be woken, its timer's next tick,
 * and its state, as the FSM said when its actor stopped ({@link GateMessage.Sleeps}); and how it parks the FSM in its
 * shard's {@link SleepRegister}, or, without one (or when parking fails), wakes it with a timer of its own. Used on
 * the gate's thread, except {@link #resumer()}, read by the gate's child as it recovers.
 */
final class GateSleep {

    private static final String WAKE = "wake";
    private static final String PARK = "park";

    private final String name;
    private final NodeRegistry registry;
    /** The register of the FSM's shard; null when FSMs do not passivate. */
    private final EntityRef<SleepRegister.Msg> register;
    private final TimerScheduler<Command> timers;
    private final Clock clock;
    /** When the passivated child must be woken (its clock's epoch ms; MAX_VALUE: only by a call). */
    private long wakeAt = Long.MAX_VALUE;
    /** When its timer's next tick was due as it passivated (0: none). */
    private long timerDueAt;
    private String state;
    private long since;
    /**
     * For the child: when its timer's tick is due (0: not known); taken once, as the child resumes ({@link #TAKEN}
     * after that: what is learnt later is told to the child, {@link Command.TimerWas}).
     */
    private final AtomicLong timerResume = new AtomicLong();
    private static final long TAKEN = -1;
    private final ActorRef<Command> gate;
    /** Children spawned so far, and which of them the last claim was made for. */
    private int children;
    private int claimedFor;
    /** Whether the current child has recovered (false from the moment it says it passivates). */
    private boolean recovered;
    /** A register answered an early claim: it counts the FSM until the gate claims it once the child recovered. */
    private boolean registerCounts;

    GateSleep(String name, ActorRef<Command> gate, NodeRegistry registry, EntityRef<SleepRegister.Msg> register,
              TimerScheduler<Command> timers, Clock clock) {
        this.name = name;
        this.gate = gate;
        this.registry = registry;
        this.register = register;
        this.timers = timers;
        this.clock = clock;
    }

    /** The FSM's actor is about to stop: what it said. The gate's behavior stays. */
    Behavior<Command> sleeps(GateMessage.Sleeps m) {
        recovered = false; // (it stops: a claim before the next child's recovery is early)
        wakeAt = m.wakeAt();
        timerDueAt = m.timerDueAt();
        state = m.state();
        since = m.since();
        return Behaviors.same();
    }

    /** What the gate's children read as they recover (their host's {@code timerResumesAt}). */
    LongSupplier resumer() {
        return () -> Math.max(0, timerResume.getAndSet(TAKEN));
    }

    /** A child is spawned now; {@code woken}: it comes back from passivation and goes on with its timer. */
    void spawning(boolean woken) {
        children++;
        recovered = false;
        timers.cancel(WAKE);
        timerResume.set(woken ? timerDueAt : 0);
        wakeAt = Long.MAX_VALUE;
        timerDueAt = 0;
    }

    /**
     * A register woke this gate's FSM. If the gate was created for that, its new child goes on with the timer (a
     * later child is told its own); the register is told that the gate holds the FSM, in case it still parks it.
     */
    void wokenUp(GateMessage.WakeUp m, ActorRef<Command> child) {
        timerWas(m.timerDueAt(), child);
        claim();
    }

    /**
     * The register that had the FSM parked answered the gate's claim: see {@link #timerWas}. Only for the child the
     * claim was made for (a later one recovered the FSM after it stopped, or was told by its gate).
     */
    Behavior<Command> claimed(GateMessage.Claimed m, ActorRef<Command> child) {
        if (claimedFor == children) {
            timerWas(m.timerDueAt(), child);
        }
        if (recovered) {
            claimRecovered(); // (the child recovered before the register's answer came)
        } else {
            registerCounts = true; // (and if the FSM passivates again first, its new park replaces the entry)
        }
        return Behaviors.same();
    }

    /**
     * What the child said: once it has recovered its FSM (running or not), or stays awake after all, a register that
     * still counts the FSM lets it go.
     */
    void noted(GateMessage.Note note) {
        if (note == GateMessage.Note.RECOVERED_RUNNING || note == GateMessage.Note.RUNNING
                || note == GateMessage.Note.RECOVERED_VACANT || note == GateMessage.Note.AWAKE) {
            recovered = true;
            if (registerCounts) {
                claimRecovered();
            }
        }
    }

    private void claimRecovered() {
        registerCounts = false;
        register.tell(new SleepRegister.Claim(name, gate, false));
    }

    /**
     * The FSM's timer was due at {@code dueAt} (0: it has none) as it was parked, says its register: the child goes on
     * from there, reading it as it resumes, or told now if it has resumed already (the register's word came after the
     * child's recovery: a call woke the FSM, or the child recovered before the gate read its wake-up).
     */
    void timerWas(long dueAt, ActorRef<Command> child) {
        if (dueAt > 0 && timerResume.getAndUpdate(v -> v == TAKEN ? TAKEN : dueAt) == TAKEN && child != null) {
            child.tell(new Command.TimerWas(dueAt));
        }
    }

    /** Arms the gate's own wake timer, if the FSM must be woken at a time. */
    void armWake() {
        if (wakeAt != Long.MAX_VALUE) {
            timers.startSingleTimer(WAKE, new GateMessage.WakeDue(), Duration.ofMillis(Math.max(0,
                    wakeAt - clock.millis())));
        }
    }

    /** If the journal is {@code down}: tries to wake the FSM again in a second, and answers true. */
    boolean wakeLaterIf(boolean down) {
        if (down) {
            timers.startSingleTimer(WAKE, new GateMessage.WakeDue(), Duration.ofSeconds(1));
        }
        return down;
    }

    /**
     * Hands the passivated FSM to its shard's register, which answers the gate ({@link GateMessage.Parked}):
     * whether it did (false: there is no register). The gate goes on counting the FSM until the register has written
     * it (the gate then lets it go, {@link NodeRegistry#remove}): for that moment both count it, once on one node; let
     * go at once, the FSM was counted nowhere while the register wrote it, and a census then missed it.
     */
    boolean park() {
        if (register == null || state == null) {
            return false;
        }
        register.tell(new SleepRegister.Park(name, new Sleeper(state, since, wakeAt, timerDueAt), gate));
        // a register that cannot recover its map does not answer: the gate then keeps the FSM itself
        timers.startSingleTimer(PARK, new GateMessage.Parked(false), SleepRegister.PARK_TIMEOUT);
        return true;
    }

    /** The register answered (or the gate gave up waiting). */
    void parkAnswered() {
        timers.cancel(PARK);
    }

    /**
     * This gate holds the FSM: it is not parked (any more). Before its child has recovered the claim is early: a
     * register that parks the FSM answers ({@link GateMessage.Claimed}) and counts it until {@link #recovered}.
     */
    void claim() {
        if (register != null) {
            claimedFor = children;
            if (recovered) {
                claimRecovered();
            } else {
                register.tell(new SleepRegister.Claim(name, gate, true));
            }
        }
    }
}
