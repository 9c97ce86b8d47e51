package dev.finitomata.sharding.internal;

import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.Replies;
import dev.finitomata.internal.runtime.StoreOutage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * INTERNAL API. The sharded entity of one FSM name: a small gate actor that owns the FSM's event-sourced actor as
 * its child and keeps the lifecycle promises of the cluster.
 *
 * <p>Design: the gate is alive exactly while its FSM runs awake, so Cluster Sharding's remembered entities are the
 * running FSMs but the passivated ones, which the {@link SleepRegister} of their shard remembers; both survive
 * failover and a full cluster restart. When the FSM ends (finishes, is stopped or erased, fails to start, or was not
 * running), the gate stops routing to the child, answers "not running" itself, has the child shut down behind
 * everything already routed to it, and then asks its shard to passivate it, which removes the name from the
 * remembered set. A start (and what follows it) that arrives meanwhile is held, or handed back to sharding once
 * passivation is under way, and reaches a new incarnation in order. An idle child stops, saying when it must be woken
 * ({@link GateMessage.Sleeps}: its earliest delayed transition or timer tick); the gate parks it in the register and
 * leaves too, once the register has written it (a new gate, for the next call or the register's wake-up, recovers
 * it). Without a register, or if it fails, the gate stays and wakes it itself ({@link GateSleep}). States:
 * <pre>
 *  STARTING  child recovering (or starting): route everything to it
 *  ACTIVE    FSM runs, child alive
 *  VACANT    child recovered an FSM that does not run: answer calls; a start or delete goes to the child
 *  SLEEPING  idle child asked to stop: hold calls until it stops (PARKING, or DORMANT) or declines (ACTIVE)
 *  PARKING   child stopped, the register writes the FSM down: hold calls; then leave (LEAVING), or wake it (calls
 *            held, or its wake time came first), or stay DORMANT if the register could not
 *  DORMANT   FSM runs, child passivated: answer alive; any other call wakes the child, and so does the wake
 *            timer, shortly before the FSM's earliest delayed transition or timer tick
 *  ENDING    FSM ended, child stopping: answer calls; hold a start and what follows it (and everything, if a start
 *            went to the child, which may hand it back)
 *  LEAVING   passivation requested from the shard: calls go back to sharding as it stops (all of them once the
 *            FSM is parked: a new gate wakes it), and the next gate here routes them first ({@link GateHandover})
 *  HANDOFF   the shard is moving: stop the child, hand calls back to sharding, then stop
 * </pre>
 */
public final class FsmGate extends AbstractBehavior<Command> {

    private enum State { STARTING, ACTIVE, VACANT, SLEEPING, PARKING, DORMANT, ENDING, LEAVING, HANDOFF }

    /**
     * How long a gate whose FSM recovered as not running waits for a call before it leaves: the shard hands a new gate
     * its call after creating it, and a fast journal may recover the child first (a gate that left at once let an
     * event sent right after a start overtake it: {@code aCallSentBehindAStartIsNeverOvertakenByTheNextCall}).
     */
    private static final Duration VACANT_LINGER = Duration.ofSeconds(1);

    private final String name;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final EntityRef<Command> again;
    private final GateChild fsm;
    private final GateSleep sleep;
    private final GateHandover handover = new GateHandover();
    /** It left its FSM parked in the register: every call goes back to sharding (a new gate wakes the FSM). */
    private boolean parked;
    private final DispatcherSelector dispatcher;
    private final NodeRegistry registry;
    private final StoreOutage outage;
    private ActorRef<Command> child;
    /** The child restarts from its journal after a failure of it (and answers nothing until it has recovered). */
    private boolean restarting;
    private final GateOutage doubt;
    /** Calls routed to a child that has not recovered yet (they wait in its stash); empty once it recovered. */
    private final List<Command> unrecovered = new ArrayList<>();
    /** The child is being replaced (its recovery failed with calls in its stash): calls wait in {@link #held}. */
    private boolean replacing;
    private State state;
    /** Calls held while the child sleeps or stops. */
    private final List<Command> held = new ArrayList<>();
    /** Calls an ended child handed back (a start and what followed it): they go before {@link #held}. */
    private final List<Command> bounced = new ArrayList<>();
    private int lingering;
    /** A start or erasure went to the child since it was spawned: it will say RUNNING or ENDED, whatever it recovered. */
    private boolean startRouted;
    /**
     * A start went to the child since it was spawned. If the child has ended, it hands that start back (REROUTE) with
     * everything behind it, maybe after the gate heard of the end: until the child stops, a call that finds the gate
     * ENDING must then wait behind that start, not be answered "not running" (a stop, start and transition sent
     * without waiting once had the transition refused while the start went on to load the FSM).
     */
    private boolean startSent;

    private FsmGate(ActorContext<Command> context, TimerScheduler<Command> timers, String name,
                    ActorRef<ClusterSharding.ShardCommand> shard, EntityRef<Command> again, GateChild fsm,
                    DispatcherSelector dispatcher, NodeRegistry registry, StoreOutage outage, Clock clock,
                    EntityRef<SleepRegister.Msg> register) {
        super(context);
        this.sleep = new GateSleep(name, context.getSelf(), registry, register, timers, clock);
        this.outage = outage;
        this.doubt = new GateOutage(outage);
        this.name = name;
        this.shard = shard;
        this.again = again;
        this.fsm = fsm;
        this.dispatcher = dispatcher;
        this.registry = registry;
        spawnChild();
        sleep.claim();
        handover.start(registry, name, context);
    }

    /**
     * The gate of {@code name}.
     *
     * @param again the entity reference of this name, to hand calls back to sharding while the gate goes away
     * @param fsm   builds the FSM's behavior, hosted by a gate
     * @param clock    the FSMs' clock, which dates their delayed transitions
     * @param register the {@link SleepRegister} of the name's shard; null: FSMs do not passivate
     */
    public static Behavior<Command> create(String name, ActorRef<ClusterSharding.ShardCommand> shard,
                                           EntityRef<Command> again, GateChild fsm,
                                           DispatcherSelector dispatcher, NodeRegistry registry,
                                           StoreOutage outage, Clock clock, EntityRef<SleepRegister.Msg> register) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new FsmGate(ctx, timers, name, shard, again, fsm,
                dispatcher, registry, outage, clock, register)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(GateMessage.Hosting.class, this::onNote)
                .onMessage(GateMessage.Linger.class, m -> onLinger())
                .onMessage(GateMessage.HandoverLate.class, m -> {
                    handover.release(this::redo);
                    return this;
                })
                .onMessage(GateMessage.Sleeps.class, sleep::sleeps)
                .onMessage(GateMessage.WakeDue.class, m -> onWakeDue())
                .onMessage(GateMessage.WakeUp.class, this::onWakeUp)
                .onMessage(GateMessage.Claimed.class, m -> sleep.claimed(m, child))
                .onMessage(GateMessage.Parked.class, this::onParked)
                .onMessage(GateMessage.Settled.class, m -> {
                    doubt.settled().forEach(this::onCall);
                    return this;
                })
                .onMessage(GateMessage.StopEntity.class, m -> onStopEntity())
                .onMessage(Command.class, this::onCall)
                .onSignal(Terminated.class, t -> onChildStopped())
                .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> {
                    if (state == State.DORMANT) {
                        registry.dormant(-1);
                    }
                    registry.remove(name);
                    return this;
                })
                .build();
    }

    private void spawnChild() {
        if (state == State.DORMANT) {
            registry.dormant(-1);
        }
        sleep.spawning(state == State.DORMANT || state == State.PARKING);
        child = getContext().spawn(fsm.create(getContext().getSelf(), sleep.resumer()), "fsm", dispatcher);
        getContext().watch(child);
        state = State.STARTING;
        startRouted = false;
        startSent = false;
    }

    private void route(Command call) {
        startRouted |= call instanceof Command.Init || call instanceof Command.Delete;
        if (state == State.STARTING) {
            unrecovered.add(call);
        }
        toChild(call);
    }

    private void toChild(Command call) {
        startSent |= call instanceof Command.Init;
        child.tell(call);
    }

    // ---- calls ----

    private Behavior<Command> onCall(Command call) {
        if (handover.holds(call, this::redo)) {
            return this; // until the calls the previous gate handed back are here
        }
        if (call instanceof Command.IsAlive alive && (state == State.ACTIVE || state == State.SLEEPING
                || state == State.DORMANT || state == State.PARKING)) {
            alive.replyTo().tell(new Replies.AliveReply(true)); // runs, awake or not: never woken for this
            return this;
        }
        if (doubt.takes(call, restarting, state == State.STARTING || state == State.DORMANT, getContext().getSelf())) {
            return this; // held until the journal's verdict, or refused while it is down
        }
        switch (state) {
            case STARTING -> {
                if (replacing) {
                    held.add(call);
                } else {
                    route(call);
                }
            }
            case ACTIVE -> toChild(call);
            case VACANT -> {
                if (!Command.answerNotRunning(name, call)) {
                    state = State.STARTING; // a start or erasure: the child answers it, and what follows
                    route(call);
                }
            }
            case SLEEPING, PARKING -> held.add(call);
            case DORMANT -> {
                spawnChild();
                route(call);
            }
            case ENDING -> {
                if (!held.isEmpty() || startSent || !Command.answerNotRunning(name, call)) {
                    held.add(call);
                }
            }
            case LEAVING -> {
                if (!handover.keep(call, parked)) {
                    Command.answerNotRunning(name, call);
                }
            }
            case HANDOFF -> again.tell(call);
        }
        return this;
    }

    // ---- what the FSM says ----

    private Behavior<Command> onNote(GateMessage.Hosting note) {
        sleep.noted(note.note());
        switch (note.note()) {
            case RESTARTING -> {
                restarting = true;
                if (state == State.STARTING && !unrecovered.isEmpty() && !replacing) {
                    refuseUnrecovered(note.cause());
                }
            }
            case RECOVERED_RUNNING, RUNNING -> {
                restarting = false;
                unrecovered.clear();
                if (state == State.STARTING || state == State.ACTIVE) {
                    state = State.ACTIVE;
                    startRouted = false;
                }
            }
            case RECOVERED_VACANT -> {
                restarting = false;
                unrecovered.clear();
                if (state == State.STARTING && !startRouted) {
                    state = State.VACANT;
                    // behind the calls already here, and the one that may still be on its way: see VACANT_LINGER
                    getContext().scheduleOnce(VACANT_LINGER, getContext().getSelf(), new GateMessage.Linger());
                    lingering++;
                }
            }
            case ENDED -> {
                if (state != State.HANDOFF) {
                    state = State.ENDING;
                    child.tell(new Command.Shutdown());
                }
            }
            case IDLE -> {
                if (state == State.ACTIVE) {
                    state = State.SLEEPING;
                    child.tell(new Command.Sleep());
                }
            }
            case AWAKE -> {
                if (state == State.SLEEPING) {
                    state = State.ACTIVE;
                    release(held);
                }
            }
            case REROUTE -> bounced.add(note.command());
            case WRITE_IN_DOUBT -> restarting = true; // the write will fail and the child restart, almost surely
            case WRITE_SETTLED -> restarting = false;
        }
        return this;
    }

    /**
     * The child failed to recover with calls in its stash: they are refused now (stage {@code START} for a start,
     * with the cause) and the child is replaced by one with an empty stash, which keeps trying to recover in the
     * background (a remembered FSM comes back once its journal reads again; one that does not run passivates).
     */
    private void refuseUnrecovered(String cause) {
        String reason = outage.down() ? outage.reason()
                : "the FSM could not start: " + cause + "; nothing was written: try again";
        unrecovered.forEach(call -> Command.answerUnrecovered(name, call, reason));
        unrecovered.clear();
        replacing = true;
        getContext().stop(child);
    }

    /** Everything that was in the mailbox with the "vacant" news has been answered: end, unless a start came. */
    private Behavior<Command> onLinger() {
        if (handover.waiting()) { // calls are on their way to it
            getContext().scheduleOnce(VACANT_LINGER, getContext().getSelf(), new GateMessage.Linger());
        } else if (--lingering == 0 && state == State.VACANT) {
            state = State.ENDING;
            child.tell(new Command.Shutdown());
        }
        return this;
    }

    private Behavior<Command> onChildStopped() {
        child = null;
        if (replacing) {
            replacing = false;
            restarting = false;
            spawnChild();
            release(held);
            return this;
        }
        switch (state) {
            case SLEEPING -> {
                if (held.isEmpty() && sleep.park()) {
                    state = State.PARKING; // until the register has written it (or its delay is due)
                    sleep.armWake();
                } else {
                    dormant();
                }
            }
            case ENDING -> {
                if (bounced.isEmpty() && held.isEmpty()) {
                    state = State.LEAVING;
                    shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
                } else {
                    spawnChild();
                    release(bounced);
                    release(held);
                }
            }
            case HANDOFF -> {
                return Behaviors.stopped();
            }
            default -> spawnChild(); // an FSM actor never stops by itself: start it again from its journal
        }
        return this;
    }

    /**
     * The passivated FSM's earliest delayed transition (or timer tick) draws near: its child recovers and runs at
     * once, and fires it when due. While the journal is down, it tries again a second later.
     */
    private Behavior<Command> onWakeDue() {
        if ((state == State.DORMANT || state == State.PARKING) && !sleep.wakeLaterIf(outage.down())) {
            if (state == State.PARKING) {
                sleep.claim(); // (behind the park, if the register takes it after all)
            }
            spawnChild();
            release(held);
        }
        return this;
    }

    /** Its shard's register woke the FSM: this gate was created for that, or holds the FSM already. */
    private Behavior<Command> onWakeUp(GateMessage.WakeUp m) {
        if (handover.holds(m, this::redo) || parked && handover.keep(m, true)) {
            return this; // (parked: it is leaving, and the next gate wakes it)
        }
        sleep.wokenUp(m, child); // (and claims it: a register that wakes an FSM whose gate holds it is stale)
        return state == State.DORMANT ? onWakeDue() : this;
    }

    /** The passivated FSM stays with this gate: its timer wakes it, or the next call. */
    private void dormant() {
        state = State.DORMANT;
        registry.dormant(1);
        if (!held.isEmpty()) {
            spawnChild();
            release(held);
        } else {
            sleep.armWake();
        }
    }

    /**
     * The register parked the FSM (or could not): the gate leaves, and its name leaves the remembered entities (a call
     * now goes to a new gate); unless a call came meanwhile, which wakes the FSM at once. Not parked, it stays dormant.
     */
    private Behavior<Command> onParked(GateMessage.Parked m) {
        if (state != State.PARKING) {
            return this; // handed off meanwhile, or given up waiting
        }
        sleep.parkAnswered();
        if (!m.ok()) {
            dormant(); // (still counted here: the gate counts it until the register has it)
        } else if (held.isEmpty()) {
            registry.remove(name); // the register counts it now
            state = State.LEAVING;
            parked = true;
            shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
        } else {
            sleep.claim();
            spawnChild();
            release(held);
        }
        return this;
    }

    /** The shard stops this gate: because it asked to passivate, or because the shard is handed off. */
    private Behavior<Command> onStopEntity() {
        if (state == State.LEAVING) {
            handover.leave(registry, name, again);
            return Behaviors.stopped();
        }
        registry.remove(name);
        if (state == State.DORMANT) {
            registry.dormant(-1);
        }
        state = State.HANDOFF;
        handover.release(again::tell);
        bounced.forEach(again::tell);
        held.forEach(again::tell);
        bounced.clear();
        held.clear();
        if (child == null) {
            return Behaviors.stopped();
        }
        child.tell(new Command.Shutdown());
        return this;
    }

    /** A call held for the order, as if it came now. */
    private void redo(Command call) {
        if (call instanceof GateMessage.WakeUp wakeUp) {
            onWakeUp(wakeUp);
        } else {
            onCall(call);
        }
    }

    private void release(List<Command> calls) {
        List<Command> copy = new ArrayList<>(calls);
        calls.clear();
        copy.forEach(this::route);
    }
}
