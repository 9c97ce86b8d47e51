package dev.finitomata.internal.runtime;

import dev.finitomata.FsmState;
import dev.finitomata.Lifecycle;
import dev.finitomata.StartResult;
import dev.finitomata.Termination;
import dev.finitomata.internal.engine.FsmDecider;
import dev.finitomata.internal.engine.Guard;
import dev.finitomata.internal.engine.Step;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.Data;
import dev.finitomata.internal.protocol.ErrorCleared;
import dev.finitomata.internal.protocol.Event;
import dev.finitomata.internal.protocol.Replies;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;

/**
 * INTERNAL API. The FSM actor's life: recovery, start, load and migration; stop, delete and erasure; passivation;
 * and the test kit's settle. Lifecycle marks (stopped, resumed, erased, migrated) are persisted where a host needs
 * them, so every host sees the same lifecycle after a restart or a failover.
 */
abstract class LifecycleSteps<P> extends TransitionSteps<P> {

    LifecycleSteps(FsmType type, Built<P> fsm, FsmHost host, ActorContext<Command> actor,
                   TimerScheduler<Command> timers) {
        super(type, fsm, host, actor, timers);
    }

    // ---- recovery and start ----

    void recovered(Data d) {
        if (!phase.ended() && d.running() && host.restoresRunning()) {
            if (host.restoresOnlyWithDelays() && d.earliestDue() == Long.MAX_VALUE) {
                host.recovered(false); // woken by a stale entry of its host's wake index: it stays not running
                end();
                return;
            }
            if (!phase.live() && decider.needsMigration(d)) {
                phase = Phase.MIGRATING; // everything waits in the stash until the migration is persisted
                actor.getSelf().tell(new Command.Migrate());
                touch();
                return;
            }
            if (!phase.live()) {
                decider.lifecycle(Lifecycle.LOADED);
            }
            phase = Phase.RUNNING;
            resume(d);
            host.recovered(true);
        } else {
            host.recovered(phase.live());
        }
        touch();
    }

    Effect<Event, Data> init(Data d, Command.Init c) {
        touch();
        if (phase.live()) {
            c.replyTo().tell(new Replies.StartReply(StartResult.ALREADY_STARTED, null));
            return effects.none();
        }
        if (d.started() && decider.needsMigration(d)) {
            return loadMigrated(d, c);
        }
        if (d.running()) {
            // not running here, with a running state in the journal: stopped on one node (stops are not persisted
            // where nothing restores FSMs by itself), or after its JVM went away: load it as it was
            begin(Lifecycle.LOADED);
            resume(d);
            c.replyTo().tell(new Replies.StartReply(StartResult.LOADED, null));
            return effects.none();
        }
        if (d.started()) {
            return persist(new Event.Resumed(), startWrite(decider.definition().entryEvent(), c), s -> {
                begin(Lifecycle.LOADED);
                resume(s);
                c.replyTo().tell(new Replies.StartReply(StartResult.LOADED, null));
            });
        }
        long started = type.transitionStart();
        P initial = payload(c.payload());
        Step<P> step = c.placeIn() == null ? decider.start(initial) : decider.place(c.placeIn(), initial);
        return switch (step) {
            case Step.Refuse<P> refused -> {
                decider.startFailed(refused.error());
                end();
                c.replyTo().tell(new Replies.StartReply(null, refused.error()));
                yield effects.none();
            }
            case Step.Commit<P> commit -> commit(commit, List.of(), new Outcome<>(
                    state -> c.replyTo().tell(new Replies.StartReply(StartResult.STARTED, null)),
                    error -> c.replyTo().tell(new Replies.StartReply(null, error))),
                    c.placeIn() == null ? Lifecycle.CREATED : Lifecycle.PLACED, started);
        };
    }

    @SuppressWarnings("unchecked")
    private static <P> P payload(Object payload) {
        return (P) payload;
    }

    private static InFlight startWrite(String event, Command.Init c) {
        return new InFlight(event, null, InFlight.Kind.START,
                error -> c.replyTo().tell(new Replies.StartReply(null, error)));
    }

    /**
     * A start that loads an FSM persisted under another version (or in a state the definition lacks): its migration
     * is persisted (with a resume, if it was stopped) before it runs; a refused migration fails the start and leaves
     * the journal as it was.
     */
    private Effect<Event, Data> loadMigrated(Data d, Command.Init c) {
        return switch (decider.migrate(d)) {
            case Step.Refuse<P> refused -> {
                decider.startFailed(refused.error());
                end();
                c.replyTo().tell(new Replies.StartReply(null, refused.error()));
                yield effects.none();
            }
            case Step.Commit<P> commit -> {
                List<Event> migrated = new ArrayList<>(2);
                migrated.add(migrated(d, commit));
                if (!d.running()) {
                    migrated.add(new Event.Resumed());
                }
                yield persist(migrated, startWrite(FsmDecider.MIGRATE_EVENT, c), s -> {
                    begin(Lifecycle.LOADED);
                    resume(s);
                    c.replyTo().tell(new Replies.StartReply(StartResult.LOADED, null));
                });
            }
        };
    }

    /**
     * A host restoring a running FSM by itself (a cluster's remembered entity) found it persisted under another
     * version: migrate it, persist that, and only then run it and tell the host. If the migration is refused the FSM
     * does not run (its host hears so) and the journal is left as it was; a later start tries again.
     */
    Effect<Event, Data> migrateRestored(Data d) {
        phase = Phase.VACANT;
        return switch (decider.migrate(d)) {
            case Step.Refuse<P> refused -> {
                decider.startFailed(refused.error());
                host.recovered(false);
                yield thenUnstash(effects.none());
            }
            case Step.Commit<P> commit -> thenUnstash(persist(migrated(d, commit),
                    InFlight.other(FsmDecider.MIGRATE_EVENT),
                    s -> {
                        decider.lifecycle(Lifecycle.LOADED);
                        phase = Phase.RUNNING;
                        resume(s);
                        host.recovered(true);
                    }));
        };
    }

    /** The event that records {@code commit}, a migration of the FSM recovered as {@code d}, with this version. */
    private Event.Migrated migrated(Data d, Step.Commit<P> commit) {
        return new Event.Migrated(d.version(), decider.version(), commit.from(), commit.to(), commit.payload());
    }

    // ---- stop, delete, erasure ----

    /** A host that brings FSMs back by itself must find the stop in the journal; on one node it is not needed. */
    Effect<Event, Data> stop(Command.Stop c) {
        java.util.function.Consumer<Data> stopped = s -> {
            FsmState<P> last = decider.terminate(s, "stop", Termination.STOPPED);
            end();
            c.replyTo().tell(new Replies.Committed(last));
        };
        if (!host.restoresByItself()) {
            return effects.none().thenRun(stopped::accept);
        }
        return persist(new Event.Stopped(), new InFlight("stop", null, InFlight.Kind.OTHER,
                error -> c.replyTo().tell(new Replies.Failed(error))), stopped);
    }

    Effect<Event, Data> delete(Data d, Command.Delete c) {
        touch();
        if (lastSequenceNumber(actor) == 0) {
            end();
            c.replyTo().tell(new Replies.Deleted(null));
            return effects.none();
        }
        Runnable erase = () -> {
            phase = Phase.ERASING;
            cancelTimers();
            actor.pipeToSelf(Journals.deletePersisted(actor.getSystem(), type.settings(),
                    context.persistenceId()), (done, failure) -> new Command.Erasure(c.replyTo(),
                    failure == null ? null : Guard.describe(failure)));
        };
        // the tombstone first: whatever recovers before the erasure completes recovers nothing
        if (d.equals(Data.EMPTY)) {
            return effects.none().thenRun(s -> erase.run());
        }
        boolean running = phase.live();
        return persist(new Event.Erased(), new InFlight("delete", null, InFlight.Kind.OTHER,
                error -> c.replyTo().tell(new Replies.Deleted(error.reason()))), s -> {
                    if (running) {
                        decider.terminate(d, "delete", Termination.DELETED);
                    }
                    erase.run();
                });
    }

    Effect<Event, Data> erased(Command.Erasure c) {
        if (c.failure() == null) {
            type.events().publish(new ErrorCleared(context.persistenceId()));
        }
        end();
        c.replyTo().tell(new Replies.Deleted(c.failure()));
        return thenUnstash(effects.none());
    }

    // ---- passivation ----

    /** The host agreed to passivate: stop if still idle, else tell the host the FSM is awake again. */
    Effect<Event, Data> sleep(Data d) {
        if (phase.ended()) {
            return effects.none();
        }
        long wakeAt = phase == Phase.IDLE_OFFERED ? wakeAt(d) : -1;
        if (wakeAt >= 0) {
            host.sleeps(wakeAt, timerDueAt);
            return effects.stop();
        }
        host.awake();
        touch();
        return effects.none();
    }

    Effect<Event, Data> idleCheck(Data d) {
        if (!idleTimerDue()) {
            return effects.none(); // a command came meanwhile: the timer counts the rest of the interval
        }
        if (phase.live() && wakeAt(d) >= 0) {
            phase = Phase.IDLE_OFFERED;
            host.idle();
        } else {
            touch();
        }
        return effects.none();
    }

    // ---- the test kit ----

    /**
     * Answers once nothing is under way: a pending hard event or a due delayed transition (its message is on the way)
     * holds the settle in the stash until a commit unstashes it; anything handled since the settle last came by sends
     * it round the mailbox once more. Pekko holds it itself while a write is in flight. An FSM that does not run
     * answers at once.
     */
    Effect<Event, Data> settle(Data d, Command.Settle c) {
        boolean live = phase.live();
        if (live && (decider.autoPending(d) || d.pending().values().stream()
                .anyMatch(p -> p.dueAtMillis() <= context.clock().millis()))) {
            return stash();
        }
        if (live && (c.seen() != handled || forks.asking())) { // (an ended FSM has nothing under way, and may stop)
            actor.getSelf().tell(new Command.Settle(c.replyTo(), handled));
        } else {
            c.replyTo().tell(new Replies.Settled());
        }
        return effects.none();
    }
}
