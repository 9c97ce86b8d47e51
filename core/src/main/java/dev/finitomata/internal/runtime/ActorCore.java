package dev.finitomata.internal.runtime;

import dev.finitomata.FsmContext;
import dev.finitomata.FsmError;
import dev.finitomata.FsmFailed;
import dev.finitomata.Lifecycle;
import dev.finitomata.internal.engine.FsmDecider;
import dev.finitomata.internal.engine.Guard;
import dev.finitomata.internal.engine.HardRetries;
import dev.finitomata.internal.pekko.PekkoInternals;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.Data;
import dev.finitomata.internal.protocol.ErrorCleared;
import dev.finitomata.internal.protocol.Event;
import dev.finitomata.internal.protocol.Replies;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * INTERNAL API. The base of the FSM actor (split by job, as Pekko's own engine mixes in its stash and journal
 * handling): what one FSM actor holds, and the steps every other part repeats. {@link #persist} owns the write in
 * flight, so a journal failure answers whoever waits for it ({@link #persistFailed}); {@link #begin} and
 * {@link #end} move the {@link Phase} and tell the host; the timers (the FSM's interval, its delayed transitions,
 * the idle countdown) are armed here.
 *
 * <p>The layers above: {@link TransitionSteps} (events, delays, ticks and the commit pipeline),
 * {@link LifecycleSteps} (start, load, migration, stop, delete, passivation) and {@link FsmActor} (Pekko's
 * template methods and the dispatch). One object per FSM, since FSMs are many.
 */
abstract class ActorCore<P> extends EventSourcedBehavior<Command, Event, Data>
        implements FsmDecider.Reporter, StoreOutage.Awaiter {

    static final String TIMER_KEY = "finitomata-timer";
    static final String IDLE_KEY = "finitomata-idle";
    static final Command.IdleCheck IDLE_CHECK = new Command.IdleCheck();
    /** When the last command came (the FSM's clock), and whether the idle timer is armed: see {@link #touch}. */
    private long lastTouched;
    private boolean idleArmed;
    static final Command.JournalBack JOURNAL_BACK = new Command.JournalBack();

    final FsmType type;
    final FsmDecider<P> decider;
    /** The retry policies of the FSM's hard events. */
    final HardRetries retries;
    /** The child FSMs it forks. */
    final Forks forks;
    final FsmHost host;
    /** The host's {@link FsmHost#stateSink} and idle time, read once: an FSM reads no host field per transition. */
    final FsmHost.StateSink states;
    private final Optional<Duration> idleAfter;
    final FsmContext context;
    final ActorContext<Command> actor;
    final TimerScheduler<Command> timers;
    final String name;
    /** The events only the FSM's own timer fires ({@code internalEvents()}): a client's are refused. */
    final Set<String> internalEvents;
    EffectFactories<Event, Data> effects;
    Phase phase = Phase.VACANT;
    /** The write in flight (volatile: the outage watch reads it on its own thread, {@link #inDoubtNow}). */
    volatile InFlight inFlight;
    /** Whether an awaited write is in flight that the watch counts ({@link StoreOutage#timesWrites}); followed. */
    private boolean timing;
    private boolean watched;
    /**
     * How often the timer was armed: a tick of an earlier arming (on its way, or held while a write was in flight,
     * when a transition re-armed the timer) is stale and dropped, so {@code onTimer} never runs twice per interval.
     */
    int timerArms;
    /** When the armed timer ticks next (the FSM's clock, epoch milliseconds); 0 when none is armed. */
    long timerDueAt;
    private boolean timerArmed; // set when the timer is armed, cleared only when it is cancelled
    /** {@link #timerArms} as the FSM resumed (-1: it has not): a later arming makes {@link #timerWas} moot. */
    private int resumedArm = -1;
    /** Commands handled so far, but {@code Settle}: a settle that finds it unchanged has had the mailbox to itself. */
    int handled;
    /** A due delay, timer tick or hard event waits for the journal to be back ({@link #parkUntilBack}). */
    boolean parked;

    ActorCore(FsmType type, Built<P> fsm, FsmHost host, ActorContext<Command> actor, TimerScheduler<Command> timers) {
        super(PersistenceId.ofUniqueId(fsm.context().persistenceId()), type.restartBackoff());
        this.type = type;
        this.host = host;
        this.states = host.stateSink();
        this.idleAfter = host.passivateIdleAfter();
        this.context = fsm.context();
        this.actor = actor;
        this.timers = timers;
        this.name = context.name();
        this.internalEvents = fsm.internalEvents();
        this.decider = new FsmDecider<>(fsm.behavior(), fsm.definition(), name, actor.getLog(), type.listeners(),
                type.payloadCheck(), this);
        this.retries = new HardRetries(fsm.behavior(), decider::record);
        this.forks = new Forks(fsm.behavior(), fsm.definition(), type.payloadCheck(), actor, timers,
                type.settings().forkCheckInterval());
    }

    @Override
    public void failed(FsmError error) {
        type.events().publish(new FsmFailed(type.supervisorId(), name, context.persistenceId(), error));
        type.failed(error);
    }

    @Override
    public void cleared() {
        type.events().publish(new ErrorCleared(context.persistenceId()));
    }

    @Override
    public Runnable inDoubtNow() {
        InFlight write = inFlight;
        return write == null ? null : write.inDoubt();
    }

    /** The awaited write the watch counts is over (written, failed, or the actor has stopped): counted once. */
    private void timedWriteOver() {
        if (timing) {
            timing = false;
            type.outage().answered();
        }
    }

    /** The actor ends (or has stopped): no write of it is awaited any more, and the outage watch lets it go. */
    void unwatched() {
        timedWriteOver();
        if (watched) {
            watched = false;
            type.outage().leave(this);
        }
    }

    // ---- writes ----

    /** Persists {@code events} as the write in flight; {@code after} runs once the journal has them. */
    EffectBuilder<Event, Data> persist(List<Event> events, InFlight write, Consumer<Data> after) {
        long earliest = Long.MAX_VALUE;
        boolean delays = false;
        for (Event event : events) {
            if (event instanceof Event.DelayScheduled scheduled) {
                earliest = Math.min(earliest, scheduled.dueAtMillis());
                delays = true;
            } else if (event instanceof Event.DelayDone) {
                delays = true;
            }
        }
        if (earliest != Long.MAX_VALUE) {
            host.remembering(earliest); // in the host's wake index before anybody hears of it
        }
        boolean tracked = delays;
        StoreOutage outage = type.outage();
        timing = write.awaited() && outage.timesWrites();
        if ((inFlight = write).awaited()) {
            outage.awaiting(this, !watched, write.inDoubt());
            watched = true;
        }
        EffectBuilder<Event, Data> effect = events.size() == 1 ? effects.persist(events.get(0))
                : effects.persist(events);
        return effect.thenRun(s -> {
            inFlight = null;
            timedWriteOver();
            if (tracked) {
                host.pendingNow(s.earliestDue());
            }
            after.accept(s);
        });
    }

    /** Persists {@code event} as the write in flight; {@code after} runs once the journal has it. */
    EffectBuilder<Event, Data> persist(Event event, InFlight write, Consumer<Data> after) {
        return persist(List.of(event), write, after);
    }

    /**
     * The journal failed (or rejected) the write in flight: its caller hears of it at once, the failure is recorded,
     * and the actor restarts from its journal with backoff (a rejection too: Pekko would stop the actor).
     */
    void persistFailed(Data d, Throwable cause, boolean rejected) {
        InFlight failed = inFlight;
        inFlight = null;
        timedWriteOver();
        String reason = (rejected ? "the journal rejected the write: " : "the journal failed to write: ")
                + Guard.describe(cause) + "; nothing was persisted and the FSM restarts from its journal";
        FsmError error = FsmDecider.error(FsmError.Stage.PERSIST, FsmDecider.current(d),
                failed == null ? "(write)" : failed.event(), failed == null ? null : failed.eventPayload(), reason);
        if (!rejected) { // the journal may be down: StoreOutage finds out, and reports it once for every FSM
            type.outage().failed(name, cause);
            decider.reportedElsewhere(error);
        }
        if (failed != null && failed.kind() == InFlight.Kind.START) {
            decider.startFailed(error);
            end();
        } else if (failed != null && failed.kind() == InFlight.Kind.TRANSITION) {
            decider.refused(d, error);
        } else {
            decider.record(error); // a stop, an erasure, a schedule or a timer update: not a transition of the FSM
        }
        if (!phase.ended()) { // a failed start has ended: nothing of it restarts for a caller
            host.restarting(reason);
        }
        if (failed != null) {
            failed.answer().accept(error);
        }
        if (rejected) {
            throw PekkoInternals.journalFailure("FSM '" + name + "': " + reason, cause);
        }
    }

    /** The recovery failed (the journal or the snapshot store): the actor restarts with backoff; quietly. */
    void recoveryFailed(Throwable cause) {
        host.restarting("its recovery from the journal failed: " + Guard.describe(cause));
        type.outage().failed(name, cause);
    }

    /**
     * The journal is unavailable: what fell due (a delayed transition, a timer tick, a hard event) waits for it to be
     * back ({@link #journalBack}), rather than failing and restarting the FSM.
     */
    void parkUntilBack() {
        if (!parked) {
            parked = true;
            org.apache.pekko.actor.typed.ActorRef<Command> self = actor.getSelf();
            type.outage().whenBack(() -> self.tell(JOURNAL_BACK));
        }
    }

    /** The journal is back: re-arm the timer and the pending delays (those due fire now), and a pending hard event. */
    void journalBack(Data d) {
        parked = false;
        if (phase.live()) {
            rearm(d);
        }
    }

    /** Something escaped while handling {@code command} (a bug): its caller hears of it at once; the actor stops. */
    void crashed(Data d, Command command, Throwable cause) {
        String reason = "the FSM crashed with " + Guard.describe(cause) + " (a bug: please report it)";
        actor.getLog().error("FSM '{}': {}", name, reason);
        switch (command) {
            case Command.Init c -> c.replyTo().tell(new Replies.StartReply(null, FsmDecider.error(
                    FsmError.Stage.START, FsmDecider.STAR, decider.definition().entryEvent(), null, reason)));
            case Command.Fire c when c.awaited() -> c.replyTo().tell(new Replies.Failed(FsmDecider.error(
                    FsmError.Stage.TRANSITION, FsmDecider.current(d), c.event(), c.eventPayload(), reason)));
            case Command.Stop c -> c.replyTo().tell(new Replies.Failed(FsmDecider.error(FsmError.Stage.TRANSITION,
                    FsmDecider.current(d), "stop", null, reason)));
            case Command.GetState c -> c.replyTo().tell(new Replies.StateReply(null));
            case Command.Inspect c -> c.replyTo().tell(Replies.DetailsReply.NOT_RUNNING);
            case Command.TimerTick c -> c.replyTo().tell(new Replies.Failed(FsmDecider.error(FsmError.Stage.TIMER,
                    FsmDecider.current(d), "timerTick", null, reason)));
            case Command.ResetTimer c -> c.replyTo().tell(new Replies.Failed(FsmDecider.error(
                    FsmError.Stage.TIMER, FsmDecider.current(d), "resetTimer", null, reason)));
            case Command.IsAlive c -> c.replyTo().tell(new Replies.AliveReply(phase.live()));
            case Command.Delete c -> c.replyTo().tell(new Replies.Deleted(reason));
            default -> {
                // nobody waits for an answer
            }
        }
    }

    // ---- lifecycle ----

    /** The FSM runs from now on: tell the host before anybody is answered. */
    void begin(Lifecycle lifecycle) {
        phase = Phase.RUNNING;
        decider.lifecycle(lifecycle);
        host.running();
    }

    /** This incarnation is over: timers die, the host closes its gate; then the caller is answered. */
    void end() {
        cancelTimers();
        unwatched();
        if (!phase.ended()) {
            phase = Phase.ENDED;
            host.ended();
        }
    }

    /** Re-arms what a running FSM has scheduled: its timer, its pending delayed transitions, a pending hard event. */
    void resume(Data d) {
        states.state(d.current(), d.enteredAt());
        long earliest = d.earliestDue();
        if (earliest != Long.MAX_VALUE) {
            host.remembering(earliest); // loaded or restored: its host's wake index must know its delays
        }
        rearm(d);
    }

    private void rearm(Data d) {
        long resumes = host.timerResumesAt();
        if (resumes > 0 && decider.timerInterval(FsmDecider.current(d)).isPresent()) {
            armTimerAt(context.clock().millis(), resumes); // woken: as it was
        } else {
            armTimer(d);
        }
        resumedArm = timerArms;
        long now = context.clock().millis();
        d.pending().values().stream().filter(p -> !Forks.isFork(p.id())) // forks are checked on, never due
                .forEach(p -> armDelay(p.id(), Math.max(0, p.dueAtMillis() - now)));
        forks.resume(d);
        decider.autoEvent(d.current()).ifPresent(event -> actor.getSelf().tell(new Command.FireHard(event)));
    }

    // ---- timers ----

    /**
     * Every command restarts the idle countdown (and takes back an offer to passivate). Cheaply: it notes the time,
     * and the one idle timer, armed at most once per interval, counts from that note when it comes ({@link
     * #idleTimerDue}). Restarting a Pekko timer on every command cost a scheduler task per transition.
     */
    void touch() {
        if (idleAfter.isPresent()) {
            if (phase == Phase.IDLE_OFFERED) {
                phase = Phase.RUNNING;
            }
            lastTouched = context.clock().millis();
            if (!idleArmed) {
                idleArmed = true;
                timers.startSingleTimer(IDLE_KEY, IDLE_CHECK, idleAfter.get());
            }
        }
    }

    /** Cancels every timer of the FSM (its timer, its delays, the idle countdown). */
    void cancelTimers() {
        timers.cancelAll();
        idleArmed = false;
    }

    /** The idle timer came: whether the FSM was quiet for the whole interval; if not, it is armed for the rest. */
    boolean idleTimerDue() {
        idleArmed = false;
        if (idleAfter.isEmpty()) {
            return false;
        }
        long rest = lastTouched + idleAfter.get().toMillis() - context.clock().millis();
        if (rest > 0) {
            idleArmed = true;
            timers.startSingleTimer(IDLE_KEY, IDLE_CHECK, Duration.ofMillis(rest));
            return false;
        }
        return true;
    }

    /**
     * When the host must wake the FSM if it passivates now ({@code Long.MAX_VALUE}: nothing scheduled), or -1 if it
     * may not passivate: a hard event in its state, a fork it waits for, or a timer tick or pending delayed transition
     * that its host cannot wake it for (no wake-ahead), or that falls due within the host's wake-ahead.
     */
    long wakeAt(Data d) {
        String current = FsmDecider.current(d);
        // a state with a hard event stays awake even once its attempts ran out: a recovery would fire it again
        if (decider.autoEvent(current).isPresent()) {
            return -1;
        }
        Optional<Duration> ahead = host.wakeAhead();
        long earliest = Long.MAX_VALUE;
        if (decider.timerInterval(current).isPresent()) {
            if (ahead.isEmpty() || timerDueAt == 0) {
                return -1;
            }
            earliest = timerDueAt; // its next tick: the woken FSM arms the timer for what is left (timerResumesAt)
        }
        if (!d.pending().isEmpty()) {
            if (ahead.isEmpty()) {
                return -1;
            }
            for (Event.DelayScheduled p : d.pending().values()) {
                if (Forks.isFork(p.id())) {
                    return -1; // the parent checks on its children while it waits
                }
                earliest = Math.min(earliest, p.dueAtMillis());
            }
        }
        if (earliest == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long wake = earliest - ahead.orElseThrow().toMillis();
        return wake <= context.clock().millis() ? -1 : wake;
    }

    void armTimer(Data d) {
        decider.timerInterval(FsmDecider.current(d)).ifPresentOrElse(this::armTimerIn, () -> {
            if (timerArmed) { // most states have no timer: no cancel on each of their transitions
                timers.cancel(TIMER_KEY);
                timerArmed = false;
            }
            timerDueAt = 0;
        });
    }

    /** What {@code details} answers for a running FSM: its state, this node, its pending delays and its timer. */
    Replies.DetailsReply details(Data d) {
        List<Event.DelayScheduled> delays = d.pending().values().stream().filter(p -> !Forks.isFork(p.id()))
                .sorted(Comparator.comparingLong(Event.DelayScheduled::dueAtMillis)
                        .thenComparing(Event.DelayScheduled::id))
                .toList();
        long interval = decider.timerInterval(FsmDecider.current(d)).map(Duration::toMillis).orElse(0L);
        return new Replies.DetailsReply(decider.view(d), actor.getSystem().address().toString(), delays,
                interval, interval > 0 ? timerDueAt : 0);
    }

    /** The host learnt late the tick the timer had as the FSM passivated ({@link Command.TimerWas}). */
    void timerWas(Data d, long dueAtMillis) {
        if (timerArms == resumedArm && timerDueAt != dueAtMillis
                && decider.timerInterval(FsmDecider.current(d)).isPresent()) {
            armTimerAt(context.clock().millis(), dueAtMillis);
        }
    }

    /** Arms the timer: its next tick comes after {@code delay} (the interval, or {@code TimerResult.reschedule}'s). */
    void armTimerIn(Duration delay) {
        long now = context.clock().millis();
        armTimerAt(now, now + delay.toMillis());
    }

    /**
     * Arms the timer to tick at {@code dueAt} (at once if that has passed), counted from {@code now}, one reading of
     * the FSM's clock: {@link #timerDueAt} is then exactly the tick it had ({@code details} shows it), not a
     * millisecond later for a second reading.
     */
    private void armTimerAt(long now, long dueAt) {
        timers.startSingleTimer(TIMER_KEY, new Command.Tick(++timerArms), Duration.ofMillis(Math.max(0, dueAt - now)));
        timerArmed = true;
        timerDueAt = Math.max(dueAt, now);
    }

    /**
     * Arms the timer of a pending delayed transition. Where the host wakes passivated FSMs for their delays, a far one
     * is armed at most passivate-idle-after + wake-ahead ahead and armed again when that comes ({@code delayDue}):
     * Pekko's scheduler keeps a cancelled task until it would have run, so the timer of an FSM that passivates would
     * otherwise stay in memory until its delay is due (48 B per idle FSM, for days).
     */
    void armDelay(String id, long delayMillis) {
        long armed = delayMillis;
        Optional<Duration> ahead = host.wakeAhead();
        if (ahead.isPresent() && idleAfter.isPresent()) {
            armed = Math.min(delayMillis, Math.max(1_000, idleAfter.get().toMillis() + ahead.get().toMillis()));
        }
        timers.startSingleTimer(id, new Command.DelayDue(id), Duration.ofMillis(armed));
    }
}
