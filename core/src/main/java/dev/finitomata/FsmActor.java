package dev.finitomata;

import dev.finitomata.FsmCore.Step;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.FacadeSupport;
import dev.finitomata.internal.FsmEnvironment;
import dev.finitomata.internal.FsmHost;
import dev.finitomata.internal.FsmHosting;
import dev.finitomata.internal.FsmProtocol;
import dev.finitomata.internal.FsmProtocol.AliveReply;
import dev.finitomata.internal.FsmProtocol.Command;
import dev.finitomata.internal.FsmProtocol.Committed;
import dev.finitomata.internal.FsmProtocol.Data;
import dev.finitomata.internal.FsmProtocol.DelayDone;
import dev.finitomata.internal.FsmProtocol.DelayDue;
import dev.finitomata.internal.FsmProtocol.DelayScheduled;
import dev.finitomata.internal.FsmProtocol.Delete;
import dev.finitomata.internal.FsmProtocol.Deleted;
import dev.finitomata.internal.FsmProtocol.Erased;
import dev.finitomata.internal.FsmProtocol.Erasure;
import dev.finitomata.internal.FsmProtocol.Event;
import dev.finitomata.internal.FsmProtocol.Failed;
import dev.finitomata.internal.FsmProtocol.Fire;
import dev.finitomata.internal.FsmProtocol.FireHard;
import dev.finitomata.internal.FsmProtocol.GetState;
import dev.finitomata.internal.FsmProtocol.IdleCheck;
import dev.finitomata.internal.FsmProtocol.Init;
import dev.finitomata.internal.FsmProtocol.IsAlive;
import dev.finitomata.internal.FsmProtocol.Migrate;
import dev.finitomata.internal.FsmProtocol.Migrated;
import dev.finitomata.internal.FsmProtocol.PayloadUpdated;
import dev.finitomata.internal.FsmProtocol.Resumed;
import dev.finitomata.internal.FsmProtocol.Schedule;
import dev.finitomata.internal.FsmProtocol.Settle;
import dev.finitomata.internal.FsmProtocol.Settled;
import dev.finitomata.internal.FsmProtocol.Shutdown;
import dev.finitomata.internal.FsmProtocol.Sleep;
import dev.finitomata.internal.FsmProtocol.StartReply;
import dev.finitomata.internal.FsmProtocol.StateReply;
import dev.finitomata.internal.FsmProtocol.Stop;
import dev.finitomata.internal.FsmProtocol.Stopped;
import dev.finitomata.internal.FsmProtocol.Tick;
import dev.finitomata.internal.FsmProtocol.Transitioned;
import dev.finitomata.internal.FsmSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.event.EventStream;
import org.apache.pekko.persistence.typed.JournalPersistFailed;
import org.apache.pekko.persistence.typed.JournalPersistRejected;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.internal.JournalFailureException;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.persistence.typed.javadsl.SnapshotCountRetentionCriteria;
import scala.Tuple2;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

/**
 * The event-sourced actor of one FSM: it owns the user's {@link FsmBehavior} (composition: the user class is not a
 * Pekko behavior), asks {@link FsmCore} what to do, and turns the answers into persist effects.
 *
 * <p>Design: a command is decided synchronously and becomes one atomic persist; everything after the commit
 * (listeners, event stream, timer, onEnter, hard event) runs in the persist's callback, so it happens only once the
 * journal has it. Lifecycle marks (stopped, resumed, erased) are persisted too, so every host sees the same
 * lifecycle after a restart or a failover. What differs between hosts is an {@link FsmHost}: the FSM tells it when it
 * starts running and when it ends (before answering), and stops only when the host says {@code Shutdown}, so no
 * message the host routed here is left unanswered. While the current state has a hard (or auto-terminating) event
 * pending, other commands are stashed so that the hard event comes next.
 *
 * <p>Failures: a journal failure or rejection fails the call in flight at once (stage {@code PERSIST}) and restarts
 * the actor with backoff through Pekko's {@code onPersistFailure}, which keeps the stashed commands. A rejection is
 * turned into Pekko's own journal-failure exception so that it takes the same path (Pekko would otherwise stop the
 * actor). Nothing a user hook throws escapes {@link FsmCore}; should anything else escape (a bug), the call in flight is
 * answered at once and the actor stops, which its host sees (the local supervisor forgets it; a cluster gate starts
 * it again from its journal). A {@link VirtualMachineError} ends the JVM (Pekko's {@code jvm-exit-on-fatal-error}).
 */
final class FsmActor<P> extends EventSourcedBehavior<Command, Event, Data> implements FsmCore.Reporter {

    static {
        FsmHosting.install(new FsmHosting.Runtime() {
            @Override
            public Behavior<Command> fsm(FsmEnvironment environment, FsmFactory<?> factory, String name,
                                         FsmHost.Factory host) {
                return behavior(environment, factory, name, host);
            }

            @Override
            public Optional<FsmDefinition> probeDefinition(ActorSystem<?> system, FsmEnvironment environment,
                                                           FsmFactory<?> factory) {
                return probe(system, environment, factory);
            }
        });
    }

    private static final String TIMER_KEY = "finitomata-timer";
    private static final String IDLE_KEY = "finitomata-idle";
    private static final IdleCheck IDLE_CHECK = new IdleCheck();
    private static final String PROBE_NAME = "(definition)";
    private static final Comparator<DelayScheduled> DUE_ORDER = Comparator.comparingLong(DelayScheduled::dueAtMillis)
            .thenComparing(DelayScheduled::id);

    /** A write in flight: who hears of a journal failure, and whether it is a start or a transition. */
    private record InFlight(String event, Object eventPayload, Kind kind, Consumer<FsmError> answer) {
        enum Kind { START, TRANSITION, OTHER }
    }

    /** The callbacks that answer whoever asked for a transition. */
    private record Outcome<P>(Consumer<FsmState<P>> committed, Consumer<FsmError> failed) {
        static <P> Outcome<P> none() {
            return new Outcome<>(state -> { }, error -> { });
        }
    }

    private final FsmEnvironment environment;
    private final FsmSettings settings;
    private final FsmCore<P> core;
    private final FsmHost host;
    private final FsmContext context;
    private final ActorContext<Command> actor;
    private final TimerScheduler<Command> timers;
    private final String name;
    private final EventStream events;
    private EffectFactories<Event, Data> effects;
    /** The FSM runs in this incarnation: started, loaded, or restored by the host. */
    private boolean live;
    /** This incarnation is over (finished, stopped, erased, failed start): it answers as not running. */
    private boolean ended;
    private boolean erasing;
    /** Restored by its host under another version: nothing runs until {@link Migrate} is handled. */
    private boolean migrating;
    /** Ended, and a start reached it: from then on every call goes back to the host, in order. */
    private boolean rerouting;
    private boolean idleOffered;
    private InFlight inFlight;
    /**
     * How often the timer was armed: a tick of an earlier arming is stale (it was on its way, or held while a write
     * was in flight, when a transition re-armed the timer) and is dropped, so {@code onTimer} never runs twice for
     * one interval.
     */
    private int timerArms;
    /** Commands handled so far, but {@link Settle}: a settle that finds it unchanged has had the mailbox to itself. */
    private int handled;

    private FsmActor(FsmEnvironment environment, FsmBehavior<P> fsm, FsmDefinition definition, FsmContext context,
                     FsmHost host, ActorContext<Command> actor, TimerScheduler<Command> timers) {
        super(PersistenceId.ofUniqueId(context.persistenceId()), environment.restartBackoff());
        this.environment = environment;
        this.settings = environment.settings();
        this.host = host;
        this.context = context;
        this.actor = actor;
        this.timers = timers;
        this.name = context.name();
        this.events = Adapter.toClassic(actor.getSystem()).getEventStream();
        this.core = new FsmCore<>(fsm, definition, name, actor.getLog(), environment.listeners(),
                environment.payloadCheck(), this);
    }

    @Override
    public void failed(FsmError error) {
        events.publish(new FsmFailed(environment.supervisorId(), name, context.persistenceId(), error));
    }

    @Override
    public void cleared() {
        events.publish(new FsmProtocol.ErrorCleared(context.persistenceId()));
    }

    // ---- building ----

    /**
     * The behavior of the FSM {@code name}. (No supervision wrapper beyond Pekko's restart on journal failures: user
     * code cannot fail the actor, and each wrapper costs every FSM a few hundred bytes.)
     */
    static Behavior<Command> behavior(FsmEnvironment environment, FsmFactory<?> factory, String name,
                                      FsmHost.Factory hosts) {
        return Behaviors.withTimers(timers -> Behaviors.setup(ctx ->
                create(environment, factory, name, hosts.create(name, ctx), ctx, timers)));
    }

    @SuppressWarnings("unchecked")
    private static <P> Behavior<Command> create(FsmEnvironment environment, FsmFactory<?> factory, String name,
                                                FsmHost host, ActorContext<Command> ctx,
                                                TimerScheduler<Command> timers) {

        FsmContext context = new FsmContext(environment.supervisorId(), name, environment.persistenceId(name),
                environment.settings().clock(), ctx.getSystem(), ctx, timers, environment.type());
        FsmBehavior<P> fsm;
        FsmDefinition definition;
        try {
            fsm = ((FsmFactory<P>) factory).create(context);
            if (fsm == null) {
                throw new IllegalStateException("the FsmFactory returned null");
            }
            definition = fsm.definition();
            if (definition == null) {
                throw new IllegalStateException(fsm.getClass().getName() + ".definition() returned null");
            }
            checkVersioning(fsm, definition);
        } catch (Throwable e) {
            FsmCore.rethrowIfFatal(e);
            return unbuildable(environment, name, host, ctx, "could not create the FSM: " + FsmCore.describe(e));
        }
        environment.learn(definition);
        return new FsmActor<>(environment, fsm, definition, context, host, ctx, timers);
    }

    /** What an FSM whose factory or definition failed does: refuses every start, answers as not running. */
    private static Behavior<Command> unbuildable(FsmEnvironment environment, String name, FsmHost host,
                                                 ActorContext<Command> ctx, String reason) {
        FsmError error = FsmCore.error(FsmError.Stage.START, FsmCore.STAR, FsmDefinition.START_EVENT, null, reason);
        ctx.getLog().warn("FSM '{}': {}", name, reason);
        host.recovered(false);
        return Behaviors.receiveMessage(command -> {
            switch (command) {
                case Init init -> {
                    host.ended();
                    init.replyTo().tell(new StartReply(null, error)); // a start never succeeds here: no reroute
                }
                case Delete delete -> ctx.pipeToSelf(FacadeSupport.deletePersisted(ctx.getSystem(),
                        environment.settings(), environment.persistenceId(name)), (done, failure) ->
                        new Erasure(delete.replyTo(), failure == null ? null : FsmCore.describe(failure)));
                case Erasure erasure -> {
                    host.ended();
                    erasure.replyTo().tell(new Deleted(erasure.failure()));
                }
                case Shutdown shutdown -> {
                    return Behaviors.stopped();
                }
                default -> {
                    host.ended();
                    FsmProtocol.answerNotRunning(name, command);
                }
            }
            return Behaviors.same();
        });
    }

    private static Optional<FsmDefinition> probe(ActorSystem<?> system, FsmEnvironment environment,
                                                 FsmFactory<?> factory) {
        FsmContext detached = new FsmContext(environment.supervisorId(), PROBE_NAME,
                environment.persistenceId(PROBE_NAME), environment.settings().clock(), system, null, null,
                environment.type());
        FsmBehavior<?> fsm;
        FsmDefinition definition;
        try {
            fsm = factory.create(detached);
            definition = fsm == null ? null : fsm.definition();
        } catch (Throwable e) {
            FsmCore.rethrowIfFatal(e);
            return Optional.empty();
        }
        if (definition == null) {
            return Optional.empty();
        }
        checkVersioning(fsm, definition); // the startup check: a mistake here fails the facade's creation
        return Optional.of(definition);
    }

    /**
     * Checks an FSM type's versioning against its definition: {@code version()} at least 1; every state
     * {@code renamedStates()} renames is gone from the definition, and its new name is a state of it.
     *
     * @throws IllegalStateException naming the FSM type and what to fix
     */
    static void checkVersioning(FsmBehavior<?> fsm, FsmDefinition definition) {
        int version = FsmCore.versionOf(fsm);
        String type = fsm.getClass().getName();
        java.util.Map<String, String> renamed;
        try {
            renamed = fsm.renamedStates();
        } catch (RuntimeException e) {
            throw new IllegalStateException(type + ".renamedStates() threw " + FsmCore.describe(e), e);
        }
        if (renamed == null) {
            throw new IllegalStateException(type + ".renamedStates() returned null; return Map.of() for none");
        }
        renamed.forEach((old, now) -> {
            if (definition.states().contains(old)) {
                throw new IllegalStateException(type + ".renamedStates() renames '" + old + "' to '" + now
                        + "', but '" + old + "' is still a state of version " + version
                        + "'s definition: drop the rename, or the state");
            }
            if (!definition.states().contains(now)) {
                throw new IllegalStateException(type + ".renamedStates() renames '" + old + "' to '" + now
                        + "', which is not a state of version " + version + "'s definition; its states are "
                        + definition.states());
            }
        });
    }

    // ---- Pekko ----

    @Override
    public Data emptyState() {
        return Data.EMPTY;
    }

    @Override
    public CommandHandler<Command, Event, Data> commandHandler() {
        this.effects = Effect();
        return this::onCommand;
    }

    @Override
    public EventHandler<Data, Event> eventHandler() {
        int history = settings.historySize();
        return (data, event) -> data.apply(event, history);
    }

    /** One handler object (Pekko's builder chains a partial function per signal type: bytes in every FSM). */
    @Override
    public SignalHandler<Data> signalHandler() {
        return new SignalHandler<>(new AbstractPartialFunction<Tuple2<Data, Signal>, BoxedUnit>() {
            @Override
            public boolean isDefinedAt(Tuple2<Data, Signal> signal) {
                return signal._2() instanceof RecoveryCompleted || signal._2() instanceof JournalPersistFailed
                        || signal._2() instanceof JournalPersistRejected;
            }

            @Override
            public BoxedUnit apply(Tuple2<Data, Signal> signal) {
                switch (signal._2()) {
                    case RecoveryCompleted recovered -> recovered(signal._1());
                    case JournalPersistFailed failed -> persistFailed(signal._1(), failed.getFailure(), false);
                    case JournalPersistRejected rejected -> persistFailed(signal._1(), rejected.getFailure(), true);
                    default -> {
                    }
                }
                return BoxedUnit.UNIT;
            }
        });
    }

    @Override
    public String journalPluginId() {
        return settings.journalPluginId();
    }

    @Override
    public String snapshotPluginId() {
        return settings.snapshotPluginId();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        int every = settings.snapshotEvery();
        if (every <= 0) {
            return RetentionCriteria.disabled();
        }
        SnapshotCountRetentionCriteria criteria = RetentionCriteria.snapshotEvery(every, 2);
        return settings.deleteEventsOnSnapshot() ? criteria.withDeleteEventsOnSnapshot() : criteria;
    }

    // ---- commands ----

    private Effect<Event, Data> onCommand(Data d, Command command) {
        if ((erasing && !(command instanceof Erasure)) || (migrating && !(command instanceof Migrate))) {
            return effects.stash();
        }
        if (ended && FsmProtocol.fromCaller(command)) {
            rerouting |= command instanceof Init;
            if (rerouting) {
                host.reroute(command);
                return effects.none();
            }
        }
        try {
            return handle(d, command);
        } catch (RuntimeException | Error bug) {
            // user code is guarded in FsmCore: what escapes is a bug of the framework (or a fatal JVM error)
            crashed(d, command, bug);
            throw bug;
        }
    }

    private Effect<Event, Data> handle(Data d, Command command) {
        if (!(command instanceof Settle)) {
            handled++;
        }
        return switch (command) {
            case Init c -> init(d, c);
            case Fire c -> {
                touch();
                yield !live ? refuse(c) : core.autoPending(d) ? effects.stash() : fire(d, c);
            }
            case FireHard c -> fireHard(d, c);
            case Schedule c -> {
                touch();
                yield !live ? refuse(c) : core.autoPending(d) ? effects.stash() : schedule(c);
            }
            case DelayDue c -> !live ? effects.none() : core.autoPending(d) ? effects.stash() : delayDue(d, c);
            case Tick c -> !live || c.arm() != timerArms ? effects.none()
                    : core.autoPending(d) ? effects.stash() : tick(d);
            case GetState c -> {
                touch();
                c.replyTo().tell(new StateReply(live ? core.view(d) : null));
                yield effects.none();
            }
            case IsAlive c -> {
                c.replyTo().tell(new AliveReply(live));
                yield effects.none();
            }
            case Settle c -> settle(d, c);
            case Migrate c -> migrating ? migrateRestored(d) : effects.none();
            case Stop c -> {
                touch();
                yield !live ? refuse(c) : core.autoPending(d) ? effects.stash() : stop(c);
            }
            case Delete c -> delete(d, c);
            case Erasure c -> erased(c);
            case Shutdown c -> effects.stop();
            case Sleep c -> sleep(d);
            case IdleCheck c -> idleCheck(d);
            case FsmProtocol.Hosting c -> effects.none();
            case FsmProtocol.Linger c -> effects.none();
            case FsmProtocol.StopEntity c -> effects.stop();
        };
    }

    private Effect<Event, Data> refuse(Command command) {
        FsmProtocol.answerNotRunning(name, command);
        return effects.none();
    }

    /**
     * Answers once nothing is under way: a pending hard event or a due delayed transition (its message is on the way)
     * holds the settle in the stash until a commit unstashes it; anything handled since the settle last came by sends
     * it round the mailbox once more. Pekko holds it itself while a write is in flight. An FSM that does not run
     * answers at once.
     */
    private Effect<Event, Data> settle(Data d, Settle c) {
        if (live && (core.autoPending(d) || d.pending().values().stream()
                .anyMatch(p -> p.dueAtMillis() <= context.clock().millis()))) {
            return effects.stash();
        }
        if (live && c.seen() != handled) { // (an ended FSM has nothing under way, and may stop before a round)
            actor.getSelf().tell(new Settle(c.replyTo(), handled));
        } else {
            c.replyTo().tell(new Settled());
        }
        return effects.none();
    }

    private Effect<Event, Data> init(Data d, Init c) {
        touch();
        if (live) {
            c.replyTo().tell(new StartReply(StartResult.ALREADY_STARTED, null));
            return effects.none();
        }
        if (d.started() && core.needsMigration(d)) {
            return loadMigrated(d, c);
        }
        if (d.running()) {
            // not running here, with a running state in the journal: stopped on one node (stops are not persisted
            // where nothing restores FSMs by itself), or after its JVM went away: load it as it was
            begin(Lifecycle.LOADED);
            resume(d);
            c.replyTo().tell(new StartReply(StartResult.LOADED, null));
            return effects.none();
        }
        if (d.started()) {
            inFlight = new InFlight(FsmDefinition.START_EVENT, null, InFlight.Kind.START,
                    error -> c.replyTo().tell(new StartReply(null, error)));
            return effects.persist(new Resumed()).thenRun(s -> {
                inFlight = null;
                begin(Lifecycle.LOADED);
                resume(s);
                c.replyTo().tell(new StartReply(StartResult.LOADED, null));
            });
        }
        @SuppressWarnings("unchecked")
        P initial = (P) c.payload();
        Step<P> step = c.placeIn() == null ? core.start(initial) : core.place(c.placeIn(), initial);
        return switch (step) {
            case Step.Refuse<P> refused -> {
                core.startFailed(refused.error());
                end();
                c.replyTo().tell(new StartReply(null, refused.error()));
                yield effects.none();
            }
            case Step.Commit<P> commit -> commit(commit, List.of(), new Outcome<>(
                    state -> c.replyTo().tell(new StartReply(StartResult.STARTED, null)),
                    error -> c.replyTo().tell(new StartReply(null, error))),
                    c.placeIn() == null ? Lifecycle.CREATED : Lifecycle.PLACED);
        };
    }

    /**
     * A start that loads an FSM persisted under another version (or in a state the definition lacks): its migration
     * is persisted (with a resume, if it was stopped) before it runs; a refused migration fails the start and leaves
     * the journal as it was.
     */
    private Effect<Event, Data> loadMigrated(Data d, Init c) {
        return switch (core.migrate(d)) {
            case Step.Refuse<P> refused -> {
                core.startFailed(refused.error());
                end();
                c.replyTo().tell(new StartReply(null, refused.error()));
                yield effects.none();
            }
            case Step.Commit<P> commit -> {
                List<Event> migrated = new ArrayList<>(2);
                migrated.add(migrated(d, commit));
                if (!d.running()) {
                    migrated.add(new Resumed());
                }
                inFlight = new InFlight(FsmCore.MIGRATE_EVENT, null, InFlight.Kind.START,
                        error -> c.replyTo().tell(new StartReply(null, error)));
                yield effects.persist(migrated).thenRun(s -> {
                    inFlight = null;
                    begin(Lifecycle.LOADED);
                    resume(s);
                    c.replyTo().tell(new StartReply(StartResult.LOADED, null));
                });
            }
        };
    }

    /**
     * A host restoring a running FSM by itself (a cluster's remembered entity) found it persisted under another
     * version: migrate it, persist that, and only then run it and tell the host. If the migration is refused the FSM
     * does not run (its host hears so) and the journal is left as it was; a later start tries again.
     */
    private Effect<Event, Data> migrateRestored(Data d) {
        migrating = false;
        return switch (core.migrate(d)) {
            case Step.Refuse<P> refused -> {
                core.startFailed(refused.error());
                host.recovered(false);
                yield effects.unstashAll();
            }
            case Step.Commit<P> commit -> {
                inFlight = new InFlight(FsmCore.MIGRATE_EVENT, null, InFlight.Kind.OTHER, error -> { });
                yield effects.persist(migrated(d, commit)).thenRun(s -> {
                            inFlight = null;
                            core.lifecycle(Lifecycle.LOADED);
                            live = true;
                            resume(s);
                            host.recovered(true);
                        }).thenUnstashAll();
            }
        };
    }

    /** The event that records {@code commit}, a migration of the FSM recovered as {@code d}, with this version. */
    private Migrated migrated(Data d, Step.Commit<P> commit) {
        return new Migrated(d.version(), core.version(), commit.from(), commit.to(), commit.payload());
    }

    private Effect<Event, Data> fire(Data d, Fire c) {
        @SuppressWarnings("unchecked")
        P payload = (P) d.payload();
        Outcome<P> outcome = !c.awaited() ? Outcome.none() : new Outcome<>(
                state -> c.replyTo().tell(new Committed(state)), error -> c.replyTo().tell(new Failed(error)));
        return take(d, core.decide(d, c.event(), c.eventPayload(), payload), c.eventPayload(), List.of(), outcome);
    }

    private Effect<Event, Data> fireHard(Data d, FireHard c) {
        if (!live || !core.autoEvent(FsmCore.current(d)).map(c.event()::equals).orElse(false)) {
            return effects.none().thenUnstashAll();
        }
        @SuppressWarnings("unchecked")
        P payload = (P) d.payload();
        return take(d, core.decide(d, c.event(), null, payload), null, List.of(), Outcome.none());
    }

    private Effect<Event, Data> schedule(Schedule c) {
        // the sequence number of the event that schedules it: unique, and in the order they were scheduled
        String id = String.format("%019d", lastSequenceNumber(actor) + 1);
        long due = context.clock().millis() + c.delayMillis();
        inFlight = new InFlight(c.event(), c.eventPayload(), InFlight.Kind.OTHER, error -> { });
        return effects.persist(new DelayScheduled(id, c.event(), c.eventPayload(), due)).thenRun(s -> {
            inFlight = null;
            armDelay(id, c.delayMillis());
        });
    }

    /**
     * Fires the earliest pending delayed transition, which is {@code c}'s unless another falls due no later (ties go
     * in the order they were scheduled, whichever timer message came first); {@code c}'s then comes round again.
     */
    private Effect<Event, Data> delayDue(Data d, DelayDue c) {
        DelayScheduled due = d.pending().get(c.id());
        if (due == null) {
            return effects.none();
        }
        DelayScheduled first = d.pending().values().stream().min(DUE_ORDER).orElse(due);
        if (first != due) {
            actor.getSelf().tell(c);
        }
        @SuppressWarnings("unchecked")
        P payload = (P) d.payload();
        return take(d, core.decide(d, first.event(), first.eventPayload(), payload), first.eventPayload(),
                List.of(new DelayDone(first.id())), Outcome.none());
    }

    private Effect<Event, Data> tick(Data d) {
        return switch (core.tick(d)) {
            case FsmCore.Tick.Ok<P> ok -> effects.none().thenRun(this::armTimer);
            case FsmCore.Tick.Update<P> update -> {
                inFlight = new InFlight("onTimer", null, InFlight.Kind.OTHER, error -> { });
                yield effects.persist(new PayloadUpdated(update.payload())).thenRun(s -> {
                    inFlight = null;
                    armTimer(s);
                });
            }
            case FsmCore.Tick.Reschedule<P> again -> effects.none()
                    .thenRun(s -> timers.startSingleTimer(TIMER_KEY, new Tick(++timerArms), again.delay()));
            case FsmCore.Tick.Move<P> move -> take(d, move.step(), null, List.of(),
                    new Outcome<>(state -> { }, error -> armTimer(d)));
            case FsmCore.Tick.Failed<P> failed -> effects.none().thenRun(this::armTimer);
        };
    }

    /** A host that brings FSMs back by itself must find the stop in the journal; on one node it is not needed. */
    private Effect<Event, Data> stop(Stop c) {
        EffectBuilder<Event, Data> mark = effects.none();
        if (host.restoresByItself()) {
            inFlight = new InFlight("stop", null, InFlight.Kind.OTHER,
                    error -> c.replyTo().tell(new Failed(error)));
            mark = effects.persist(new Stopped());
        }
        return mark.thenRun(s -> {
            inFlight = null;
            end();
            c.replyTo().tell(new Committed(core.view(s)));
        });
    }

    private Effect<Event, Data> delete(Data d, Delete c) {
        touch();
        if (lastSequenceNumber(actor) == 0) {
            end();
            c.replyTo().tell(new Deleted(null));
            return effects.none();
        }
        inFlight = new InFlight("delete", null, InFlight.Kind.OTHER,
                error -> c.replyTo().tell(new Deleted(error.reason())));
        // the tombstone first: whatever recovers before the erasure completes recovers nothing
        EffectBuilder<Event, Data> tombstone = d.equals(Data.EMPTY) ? effects.none() : effects.persist(new Erased());
        return tombstone.thenRun(s -> {
            inFlight = null;
            erasing = true;
            timers.cancelAll();
            actor.pipeToSelf(FacadeSupport.deletePersisted(actor.getSystem(), settings, context.persistenceId()),
                    (done, failure) -> new Erasure(c.replyTo(), failure == null ? null : FsmCore.describe(failure)));
        });
    }

    private Effect<Event, Data> erased(Erasure c) {
        erasing = false;
        if (c.failure() == null) {
            events.publish(new FsmProtocol.ErrorCleared(context.persistenceId()));
        }
        end();
        c.replyTo().tell(new Deleted(c.failure()));
        return effects.unstashAll();
    }

    private Effect<Event, Data> sleep(Data d) {
        if (ended) {
            return effects.none();
        }
        if (idleOffered && live && idle(d)) {
            return effects.stop();
        }
        host.awake();
        touch();
        return effects.none();
    }

    private Effect<Event, Data> idleCheck(Data d) {
        if (live && !ended && idle(d)) {
            idleOffered = true;
            host.idle();
        } else {
            touch();
        }
        return effects.none();
    }

    // ---- the pipeline ----

    private Effect<Event, Data> take(Data d, Step<P> step, Object eventPayload, List<Event> before,
                                     Outcome<P> outcome) {
        return switch (step) {
            case Step.Commit<P> commit -> commit(commit, before, outcome, null);
            case Step.Refuse<P> refused -> {
                core.refused(d, refused.error());
                EffectBuilder<Event, Data> effect = before.isEmpty() ? effects.none() : effects.persist(before);
                yield effect.thenRun(s -> outcome.failed().accept(refused.error())).thenUnstashAll();
            }
        };
    }

    /** {@code starting}: how a start begins the FSM's life (created or placed); null for a transition. */
    private Effect<Event, Data> commit(Step.Commit<P> commit, List<Event> before, Outcome<P> outcome,
                                       Lifecycle starting) {
        List<Event> events = new ArrayList<>(before);
        events.add(Transitioned.of(commit.from(), commit.event(), commit.to(), commit.payload(), core.version()));
        inFlight = new InFlight(commit.event(), null,
                starting != null ? InFlight.Kind.START : InFlight.Kind.TRANSITION, outcome.failed());
        return (events.size() == 1 ? effects.persist(events.get(0)) : effects.persist(events))
                .thenRun(s -> afterCommit(commit, s, outcome, starting))
                .thenUnstashAll();
    }

    /**
     * Listeners → event stream → timer → onEnter → hard event; or, at {@code "*"}, onTerminate and the end. A placed
     * FSM skips {@code onEnter}: it was put in its state, it did not enter it.
     */
    private void afterCommit(Step.Commit<P> commit, Data s, Outcome<P> outcome, Lifecycle starting) {
        inFlight = null;
        if (starting != null) {
            begin(starting);
        }
        boolean answered = false;
        try {
            FsmState<P> state = core.committed(s, commit.from(), commit.event());
            events.publish(new FsmTransitioned(environment.supervisorId(), name, commit.from(), commit.event(),
                    FsmCore.current(s), s.payload()));
            if (!s.started()) {
                timers.cancelAll();
                state = core.terminate(s, commit.event());
                end();
                answered = true;
                outcome.committed().accept(state);
                return;
            }
            armTimer(s);
            FsmCore.Entered<P> entered = starting == Lifecycle.PLACED ? core.placed(s) : core.enter(s, commit.event());
            answered = true;
            outcome.committed().accept(entered.state());
            entered.autoEvent().ifPresent(event -> actor.getSelf().tell(new FireHard(event)));
        } finally {
            if (!answered) {
                outcome.committed().accept(core.view(s)); // a JVM error escaped a hook: the transition stands
            }
        }
    }

    // ---- lifecycle ----

    /** The FSM runs from now on: tell the host before anybody is answered. */
    private void begin(Lifecycle lifecycle) {
        live = true;
        core.lifecycle(lifecycle);
        host.running();
    }

    /** This incarnation is over: timers die, the host closes its gate; then the caller is answered. */
    private void end() {
        live = false;
        timers.cancelAll();
        if (!ended) {
            ended = true;
            host.ended();
        }
    }

    private void recovered(Data d) {
        if (!ended && d.running() && host.restoresRunning()) {
            if (!live && core.needsMigration(d)) {
                migrating = true; // everything waits in the stash until the migration is persisted
                actor.getSelf().tell(new Migrate());
                touch();
                return;
            }
            if (!live) {
                core.lifecycle(Lifecycle.LOADED);
            }
            live = true;
            resume(d);
            host.recovered(true);
        } else {
            host.recovered(live);
        }
        touch();
    }

    /** Re-arms what a running FSM has scheduled: its timer, its pending delayed transitions, a pending hard event. */
    private void resume(Data d) {
        armTimer(d);
        long now = context.clock().millis();
        d.pending().values().forEach(p -> armDelay(p.id(), Math.max(0, p.dueAtMillis() - now)));
        core.autoEvent(d.current()).ifPresent(event -> actor.getSelf().tell(new FireHard(event)));
    }

    private void persistFailed(Data d, Throwable cause, boolean rejected) {
        InFlight failed = inFlight;
        inFlight = null;
        String reason = (rejected ? "the journal rejected the write: " : "the journal failed to write: ")
                + FsmCore.describe(cause) + "; nothing was persisted and the FSM restarts from its journal";
        FsmError error = FsmCore.error(FsmError.Stage.PERSIST, FsmCore.current(d),
                failed == null ? "(write)" : failed.event(), failed == null ? null : failed.eventPayload(), reason);
        if (failed != null && failed.kind() == InFlight.Kind.START) {
            core.startFailed(error);
            end();
        } else if (failed != null && failed.kind() == InFlight.Kind.TRANSITION) {
            core.refused(d, error);
        } else {
            core.record(error); // a stop, an erasure, a schedule or a timer update: not a transition of the FSM
        }
        if (failed != null) {
            failed.answer().accept(error);
        }
        if (rejected) {
            // Pekko stops an actor whose event was rejected; as a journal failure it restarts with backoff instead,
            // keeping the commands stashed meanwhile
            throw new JournalFailureException("FSM '" + name + "': " + reason, cause);
        }
    }

    /** Something escaped while handling {@code command}: its caller hears of it at once; the actor stops. */
    private void crashed(Data d, Command command, Throwable cause) {
        String reason = "the FSM crashed with " + FsmCore.describe(cause) + " (a bug: please report it)";
        actor.getLog().error("FSM '{}': {}", name, reason);
        switch (command) {
            case Init c -> c.replyTo().tell(new StartReply(null,
                    FsmCore.error(FsmError.Stage.START, FsmCore.STAR, FsmDefinition.START_EVENT, null, reason)));
            case Fire c when c.awaited() -> c.replyTo().tell(new Failed(FsmCore.error(FsmError.Stage.TRANSITION,
                    FsmCore.current(d), c.event(), c.eventPayload(), reason)));
            case Stop c -> c.replyTo().tell(new Failed(FsmCore.error(FsmError.Stage.TRANSITION,
                    FsmCore.current(d), "stop", null, reason)));
            case GetState c -> c.replyTo().tell(new StateReply(null));
            case IsAlive c -> c.replyTo().tell(new AliveReply(live));
            case Delete c -> c.replyTo().tell(new Deleted(reason));
            default -> {
                // nobody waits for an answer
            }
        }
    }

    // ---- timers ----

    /** Sharded FSMs: every command restarts the idle countdown. */
    private void touch() {
        Optional<Duration> after = host.passivateIdleAfter();
        if (after.isPresent()) {
            idleOffered = false;
            timers.startSingleTimer(IDLE_KEY, IDLE_CHECK, after.get());
        }
    }

    private boolean idle(Data d) {
        return d.pending().isEmpty() && !core.autoPending(d) && core.timerInterval(FsmCore.current(d)).isEmpty();
    }

    private void armTimer(Data d) {
        core.timerInterval(FsmCore.current(d)).ifPresentOrElse(
                interval -> timers.startSingleTimer(TIMER_KEY, new Tick(++timerArms), interval),
                () -> timers.cancel(TIMER_KEY));
    }

    private void armDelay(String id, long delayMillis) {
        timers.startSingleTimer(id, new DelayDue(id), Duration.ofMillis(delayMillis));
    }
}
