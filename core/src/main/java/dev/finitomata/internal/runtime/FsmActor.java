package dev.finitomata.internal.runtime;

import dev.finitomata.internal.engine.FsmDecider;
import dev.finitomata.internal.pekko.PekkoInternals;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.Data;
import dev.finitomata.internal.protocol.Event;
import dev.finitomata.internal.protocol.Replies;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.JournalPersistFailed;
import org.apache.pekko.persistence.typed.JournalPersistRejected;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.persistence.typed.javadsl.SnapshotCountRetentionCriteria;

/**
 * INTERNAL API. The event-sourced actor of one FSM: it owns the user's {@code FsmBehavior} (composition: the user
 * class is not a Pekko behavior), asks the {@code FsmDecider} what to do, and turns the answers into persist effects.
 * This class holds Pekko's template methods and the dispatch by {@link Phase} and command; the steps live in the
 * layers below it ({@link LifecycleSteps}, {@link TransitionSteps}, {@link ActorCore}).
 *
 * <p>Design: a command is decided synchronously and becomes one atomic persist. What differs between hosts is an
 * {@link FsmHost}: the FSM tells it when it starts running and when it ends (before answering), and stops only when
 * the host says {@code Shutdown}, so no message the host routed here is left unanswered. While the current state has
 * a hard (or auto-terminating) event pending, other commands are stashed so that the hard event comes next.
 *
 * <p>Failures: a journal failure or rejection fails the call in flight at once (stage {@code PERSIST}) and restarts
 * the actor with backoff through Pekko's {@code onPersistFailure}, which keeps the stashed commands. Nothing a user
 * hook throws escapes the decider; should anything else escape (a bug), the call in flight is answered at once and
 * the actor stops, which its host sees (the local supervisor forgets it; a cluster gate starts it again from its
 * journal). A fatal JVM error ({@link VirtualMachineError} but a stack overflow) is not caught anywhere: Pekko's
 * {@code jvm-exit-on-fatal-error} (on by default) ends the JVM.
 */
final class FsmActor<P> extends LifecycleSteps<P> {

    /** The signals handled: one array for all FSMs (an array per FSM cost 32 bytes each). */
    private static final Class<?>[] SIGNALS = {RecoveryCompleted.class, JournalPersistFailed.class,
        JournalPersistRejected.class, RecoveryFailed.class, PostStop.class};

    FsmActor(FsmType type, Built<P> fsm, FsmHost host, ActorContext<Command> actor, TimerScheduler<Command> timers) {
        super(type, fsm, host, actor, timers);
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
        int history = type.settings().historySize();
        return (data, event) -> data.apply(event, history);
    }

    @Override
    public SignalHandler<Data> signalHandler() {
        return PekkoInternals.signalHandler((data, signal) -> {
            switch (signal) {
                case RecoveryCompleted recovered -> recovered(data);
                case JournalPersistFailed failed -> persistFailed(data, failed.getFailure(), false);
                case JournalPersistRejected rejected -> persistFailed(data, rejected.getFailure(), true);
                case RecoveryFailed failed -> recoveryFailed(failed.getFailure());
                case PostStop stopped -> unwatched(); // however it stopped, the outage watch lets it go
                default -> {
                }
            }
        }, SIGNALS);
    }

    @Override
    public String journalPluginId() {
        return type.settings().journalPluginId();
    }

    @Override
    public String snapshotPluginId() {
        return type.settings().snapshotPluginId();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        int every = type.settings().snapshotEvery();
        if (every <= 0) {
            return RetentionCriteria.disabled();
        }
        SnapshotCountRetentionCriteria criteria = RetentionCriteria.snapshotEvery(every, 2);
        return type.settings().deleteEventsOnSnapshot() ? criteria.withDeleteEventsOnSnapshot() : criteria;
    }

    // ---- dispatch ----

    private Effect<Event, Data> onCommand(Data d, Command command) {
        if ((phase == Phase.ERASING && !(command instanceof Command.Erasure))
                || (phase == Phase.MIGRATING && !(command instanceof Command.Migrate))) {
            return stash();
        }
        if (phase.ended() && Command.fromCaller(command)) {
            if (command instanceof Command.Init) {
                phase = Phase.REROUTING;
            }
            if (phase == Phase.REROUTING) {
                host.reroute(command);
                return effects.none();
            }
        }
        try {
            return handle(d, command);
        } catch (RuntimeException | Error bug) {
            // user code is guarded in the decider: what escapes is a bug of the framework (or a fatal JVM error)
            crashed(d, command, bug);
            throw bug;
        }
    }

    private Effect<Event, Data> handle(Data d, Command command) {
        if (!(command instanceof Command.Settle)) {
            handled++;
        }
        boolean live = phase.live();
        if (type.outage().down()) {
            Effect<Event, Data> waiting = duringOutage(d, command, live);
            if (waiting != null) {
                return waiting;
            }
        }
        return switch (command) {
            case Command.Init c -> init(d, c);
            case Command.Fire c -> {
                touch();
                yield !live ? refuse(c) : decider.autoPending(d) ? stash() : fire(d, c);
            }
            case Command.FireHard c -> fireHard(d, c);
            case Command.Schedule c -> {
                touch();
                yield !live ? refuse(c) : decider.autoPending(d) ? stash() : schedule(c);
            }
            case Command.DelayDue c -> !live ? effects.none() : decider.autoPending(d) ? stash()
                    : delayDue(d, c);
            case Command.Tick c -> !live || c.arm() != timerArms ? effects.none()
                    : decider.autoPending(d) ? stash() : tick(d);
            case Command.GetState c -> {
                touch();
                c.replyTo().tell(new Replies.StateReply(live ? decider.view(d) : null));
                yield effects.none();
            }
            case Command.TimerTick c -> {
                touch();
                yield !live ? refuse(c) : decider.autoPending(d) ? stash() : timerTick(d, c);
            }
            case Command.ResetTimer c -> {
                touch();
                yield !live ? refuse(c) : decider.autoPending(d) ? stash() : resetTimer(d, c);
            }
            case Command.Inspect c -> {
                touch();
                c.replyTo().tell(live ? details(d) : Replies.DetailsReply.NOT_RUNNING);
                yield effects.none();
            }
            case Command.IsAlive c -> {
                c.replyTo().tell(new Replies.AliveReply(live));
                yield effects.none();
            }
            case Command.Settle c -> {
                touch(); // it may send itself the settle again: an FSM offered to passivate must not stop before it
                yield settle(d, c);
            }
            case Command.Migrate c -> phase == Phase.MIGRATING ? migrateRestored(d) : effects.none();
            case Command.Stop c -> {
                touch();
                yield !live ? refuse(c) : decider.autoPending(d) ? stash() : stop(c);
            }
            case Command.Delete c -> delete(d, c);
            case Command.Erasure c -> erased(c);
            case Command.Shutdown c -> effects.stop();
            case Command.Sleep c -> sleep(d);
            case Command.IdleCheck c -> idleCheck(d);
            case Command.TimerWas c -> {
                if (live) {
                    timerWas(d, c.dueAtMillis());
                }
                yield effects.none();
            }
            case Command.JournalBack c -> {
                journalBack(d);
                yield effects.none();
            }
            case Command.ForkCheck c -> {
                if (live) {
                    forks.check(d);
                }
                yield effects.none();
            }
            case Command.ForkStatus c -> {
                if (!live) {
                    forks.answered();
                }
                yield !live ? effects.none() : decider.autoPending(d) ? stash() : forkStatus(d, c);
            }
            case Command.HostMessage c -> effects.none(); // the host's own business
        };
    }

    /**
     * While the journal is unavailable (on this node's latest probe): a call that must write is refused at once
     * (stage {@code PERSIST}; a start {@code START}) instead of failing in the journal and restarting the FSM; what
     * fell due (a delayed transition, a tick, a hard event) waits for the journal to be back. Null: handle it as
     * usual (reads from memory, and what writes nothing).
     */
    private Effect<Event, Data> duringOutage(Data d, Command command, boolean live) {
        boolean refuse = switch (command) {
            case Command.Fire c -> live;
            case Command.Schedule c -> live;
            case Command.TimerTick c -> live;
            case Command.Stop c -> live && host.restoresByItself(); // persisted only where FSMs come back by themselves
            case Command.Init c -> !live && (!d.running() || decider.needsMigration(d)); // a start or load writes
            default -> false;
        };
        if (refuse) {
            type.outage().refused();
            if (command instanceof Command.Init) {
                end(); // the host closes its gate before the caller hears of it
            }
            Command.answerUnavailable(command, FsmDecider.current(d), type.outage().reason());
            return effects.none();
        }
        if (live && (command instanceof Command.DelayDue || command instanceof Command.Tick
                || command instanceof Command.FireHard || command instanceof Command.ForkCheck
                || command instanceof Command.ForkStatus)) {
            if (command instanceof Command.ForkStatus) {
                forks.answered(); // asked again once the journal is back
            }
            parkUntilBack();
            return effects.none();
        }
        return null;
    }

    private Effect<Event, Data> refuse(Command command) {
        Command.answerNotRunning(name, command);
        return effects.none();
    }
}
