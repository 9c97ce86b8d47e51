package dev.finitomata.internal.runtime;

import dev.finitomata.FsmError;
import dev.finitomata.FsmState;
import dev.finitomata.FsmTransitioned;
import dev.finitomata.Lifecycle;
import dev.finitomata.Retry;
import dev.finitomata.Termination;
import dev.finitomata.Transition;
import dev.finitomata.internal.engine.FsmDecider;
import dev.finitomata.internal.engine.HardRetries;
import dev.finitomata.internal.engine.Step;
import dev.finitomata.internal.engine.TimerStep;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.Data;
import dev.finitomata.internal.protocol.Event;
import dev.finitomata.internal.protocol.ForkPending;
import dev.finitomata.internal.protocol.Replies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;

/**
 * INTERNAL API. The FSM actor's transitions: events fired by callers, hard events, delayed transitions, timer ticks,
 * and the commit pipeline they share. A step the decider commits becomes one atomic persist; everything after the
 * commit (listeners, event stream, timer, onEnter, hard event) runs in its callback, so it happens only once the
 * journal has it.
 */
abstract class TransitionSteps<P> extends ActorCore<P> {

    /**
     * The id prefix of the delayed events an FSM schedules itself (keyed by their name); those sent from outside are
     * keyed by the sequence number of the event that scheduled them, all digits.
     */
    static final String OWN_DELAY = "own:";

    private static final Comparator<Event.DelayScheduled> DUE_ORDER =
            Comparator.comparingLong(Event.DelayScheduled::dueAtMillis).thenComparing(Event.DelayScheduled::id);

    /** The callbacks that answer whoever asked for a transition. */
    record Outcome<P>(Consumer<FsmState<P>> committed, Consumer<FsmError> failed) {
        @SuppressWarnings("rawtypes")
        private static final Outcome NONE = new Outcome<>(state -> { }, error -> { });

        @SuppressWarnings("unchecked")
        static <P> Outcome<P> none() {
            return NONE;
        }
    }

    /** Commands stashed since the last unstash took effect (0: none); kept, like Pekko's stash, through restarts. */
    private int stashed;
    /**
     * Whether its class overrides {@code onFork} ({@link Forks#forks}): if not, a move does not plan forks. Here, not in
     * {@link Forks}: reading a field of that object on every move cost as much as the call it saves.
     */
    private final boolean forking;

    TransitionSteps(FsmType type, Built<P> fsm, FsmHost host, ActorContext<Command> actor,
                    TimerScheduler<Command> timers) {
        super(type, fsm, host, actor, timers);
        this.forking = Forks.forks(fsm.behavior().getClass());
    }

    @SuppressWarnings("unchecked")
    static <P> P payload(Data d) {
        return (P) d.payload();
    }

    Effect<Event, Data> fire(Data d, Command.Fire c) {
        Outcome<P> outcome = !c.awaited() ? Outcome.none() : new Outcome<>(
                state -> c.replyTo().tell(new Replies.Committed(state)),
                error -> c.replyTo().tell(new Replies.Failed(error)));
        if (internalEvents.contains(c.event())) { // the facade did not know the definition yet to refuse it
            outcome.failed().accept(FsmDecider.error(FsmError.Stage.ACCEPT, FsmDecider.current(d), c.event(),
                    c.eventPayload(), type.internalRefused(c.event())));
            return effects.none();
        }
        long started = type.transitionStart();
        return take(d, decider.decide(d, c.event(), c.eventPayload(), payload(d)), List.of(), outcome, started);
    }

    Effect<Event, Data> fireHard(Data d, Command.FireHard c) {
        if (!phase.live() || !decider.autoEvent(FsmDecider.current(d)).map(c.event()::equals).orElse(false)
                || d.pending().containsKey(HardRetries.id(c.event()))) { // its pending retry fires it when due
            return thenUnstash(effects.none());
        }
        return attempt(d, c.event(), retries.first(FsmDecider.current(d)), List.of());
    }

    /**
     * An attempt of the hard event {@code event}: {@code attempt} is its number under the state's retry policy (null
     * without one). A failed attempt schedules the next one in the same write that records the failure, or, when the
     * attempts ran out, takes the policy's fallback ({@link HardRetries}).
     */
    private Effect<Event, Data> attempt(Data d, String event, Retry.Attempt attempt, List<Event> before) {
        long started = type.transitionStart();
        String state = FsmDecider.current(d);
        Step<P> step = decider.decide(d, event, attempt, payload(d));
        if (!(step instanceof Step.Refuse<P> refused) || attempt == null
                || !decider.autoEvent(state).map(event::equals).orElse(false)) {
            return take(d, step, before, Outcome.none(), started);
        }
        long now = context.clock().millis();
        HardRetries.Next next = retries.failed(state, event, attempt, refused.error(), now);
        Step.Refuse<P> failed = new Step.Refuse<>(HardRetries.describe(refused.error(), attempt, next));
        return switch (next) {
            case HardRetries.Next.Again again -> {
                List<Event> events = new ArrayList<>(before);
                events.add(new Event.DelayScheduled(again.id(), event, again.attempt(), now + again.waitMillis()));
                yield take(d, failed, events, new Outcome<>(s -> { }, e -> armDelay(again.id(), again.waitMillis())),
                        started);
            }
            case HardRetries.Next.MoveTo move -> {
                decider.refused(d, failed.error()); // onFailure and the metrics see the last attempt too
                yield take(d, new Step.Commit<>(state, event, move.state(), payload(d)), before, Outcome.none(),
                        started);
            }
            case HardRetries.Next.Stay stay -> take(d, failed, before, Outcome.none(), started);
        };
    }

    Effect<Event, Data> schedule(Command.Schedule c) {
        if (internalEvents.contains(c.event())) {
            actor.getLog().debug("'{}': a client's delayed '{}' is dropped: the event is internal", name, c.event());
            return effects.none();
        }
        // the sequence number of the event that schedules it: unique, and in the order they were scheduled
        String id = String.format("%019d", lastSequenceNumber(actor) + 1);
        long due = context.clock().millis() + c.delayMillis();
        return persist(new Event.DelayScheduled(id, c.event(), c.eventPayload(), due),
                new InFlight(c.event(), c.eventPayload(), InFlight.Kind.OTHER, error -> { }),
                s -> armDelay(id, c.delayMillis()));
    }

    /**
     * Fires the earliest pending delayed transition, which is {@code c}'s unless another falls due no later (ties go
     * in the order they were scheduled, whichever timer message came first); {@code c}'s then comes round again.
     */
    Effect<Event, Data> delayDue(Data d, Command.DelayDue c) {
        Event.DelayScheduled due = d.pending().get(c.id());
        if (due == null) {
            return effects.none();
        }
        long early = due.dueAtMillis() - context.clock().millis();
        if (early > 0) { // a far delay's timer is armed nearer (armDelay): not due yet
            armDelay(due.id(), early);
            return effects.none();
        }
        Event.DelayScheduled first = d.pending().values().stream().min(DUE_ORDER).orElse(due);
        if (first != due) {
            actor.getSelf().tell(c);
        }
        if (first.id().startsWith(HardRetries.PREFIX) && first.eventPayload() instanceof Retry.Attempt attempt) {
            return attempt(d, first.event(), attempt, List.of(new Event.DelayDone(first.id())));
        }
        long started = type.transitionStart();
        return take(d, decider.decide(d, first.event(), first.eventPayload(), payload(d)),
                List.of(new Event.DelayDone(first.id())), Outcome.none(), started);
    }

    /**
     * {@code timerTick}: runs {@code onTimer} now, as a tick of the timer would (the countdown starts again after it),
     * and answers once it ran; calls made after the answer see its outcome (they wait while it is persisted). Refused
     * in a state without a timer.
     */
    Effect<Event, Data> timerTick(Data d, Command.TimerTick c) {
        Optional<Duration> interval = decider.timerInterval(FsmDecider.current(d));
        if (interval.isEmpty()) {
            c.replyTo().tell(new Replies.Failed(FsmDecider.error(FsmError.Stage.TIMER, FsmDecider.current(d),
                    "timerTick", null, "state '" + FsmDecider.current(d) + "' has no timer (timer() is empty)")));
            return effects.none();
        }
        ++timerArms; // a tick already on its way is stale now
        Effect<Event, Data> ticked = tick(d);
        c.replyTo().tell(new Replies.Committed(decider.view(d)));
        return ticked;
    }

    /** {@code resetTimer}: the countdown starts again from now; refused in a state without a timer. */
    Effect<Event, Data> resetTimer(Data d, Command.ResetTimer c) {
        if (decider.timerInterval(FsmDecider.current(d)).isEmpty()) {
            c.replyTo().tell(new Replies.Failed(FsmDecider.error(FsmError.Stage.TIMER, FsmDecider.current(d),
                    "resetTimer", null, "state '" + FsmDecider.current(d) + "' has no timer (timer() is empty)")));
            return effects.none();
        }
        armTimer(d);
        c.replyTo().tell(new Replies.Committed(decider.view(d)));
        return effects.none();
    }

    Effect<Event, Data> tick(Data d) {
        long started = type.transitionStart();
        return switch (decider.tick(d)) {
            case TimerStep.Ok<P> ok -> effects.none().thenRun(this::armTimer);
            case TimerStep.Update<P> update -> persist(new Event.PayloadUpdated(update.payload()),
                    InFlight.other("onTimer"), this::armTimer);
            case TimerStep.Reschedule<P> again -> effects.none().thenRun(s -> armTimerIn(again.delay()));
            case TimerStep.Move<P> move -> take(d, move.step(), List.of(),
                    new Outcome<>(state -> { }, error -> armTimer(d)), started);
            case TimerStep.Failed<P> failed -> effects.none().thenRun(this::armTimer);
        };
    }

    // ---- the pipeline ----

    /** Holds the command in Pekko's stash until the next {@link #thenUnstash}. */
    Effect<Event, Data> stash() {
        stashed++;
        return effects.stash();
    }

    /**
     * {@code effect}, then the stashed commands if there are any: else no unstash, which would be one effect level
     * more per transition, each costing Pekko's MDC setup (issue 26, point 5). Reset as the unstash takes effect, so a
     * failed write (whose effects do not run) leaves them counted.
     */
    Effect<Event, Data> thenUnstash(EffectBuilder<Event, Data> effect) {
        return stashed == 0 ? effect : effect.thenRun(s -> stashed = 0).thenUnstashAll();
    }

    /**
     * Commits {@code step} (with {@code before} in the same write), or records its refusal (persisting only those).
     * {@code started}: when the FSM took the event, for the probes ({@link FsmType#transitionStart}).
     */
    Effect<Event, Data> take(Data d, Step<P> step, List<Event> before, Outcome<P> outcome, long started) {
        if (step instanceof Step.Commit<P> commit && !commit.delays().isEmpty()) {
            step = checkDelays(commit);
        }
        return switch (step) {
            case Step.Commit<P> commit -> commit(commit, pendingDone(d, before, commit), outcome, null, started);
            case Step.Refuse<P> refused -> {
                decider.refused(d, refused.error());
                EffectBuilder<Event, Data> effect = before.isEmpty() ? effects.none() : effects.persist(before);
                yield thenUnstash(effect.thenRun(s -> outcome.failed().accept(refused.error())));
            }
        };
    }

    /**
     * {@code before}, and the end of what belongs to the state: a retry still pending (its event came first), and,
     * when the move leaves the state, the forks whose children have not ended (they run on, unheard).
     */
    private List<Event> pendingDone(Data d, List<Event> before, Step.Commit<P> commit) {
        if (d.pending().isEmpty()) {
            return before; // the usual case, without an iterator
        }
        List<Event> events = before;
        boolean leaves = !commit.from().equals(commit.to());
        for (String id : d.pending().keySet()) {
            Event done = new Event.DelayDone(id);
            if ((id.startsWith(HardRetries.PREFIX) || leaves && Forks.isFork(id)) && !before.contains(done)) {
                events = new ArrayList<>(events);
                events.add(done);
                timers.cancel(id);
            }
        }
        return events;
    }

    // ---- forks ----

    /** What a parent learnt of a child it forked: start it, take the fork's event, or give the fork up. */
    Effect<Event, Data> forkStatus(Data d, Command.ForkStatus c) {
        forks.answered();
        Event.DelayScheduled pending = d.pending().get(c.id());
        if (pending == null || !(pending.eventPayload() instanceof ForkPending fork)) {
            return effects.none(); // taken or forgotten meanwhile
        }
        return switch (c.kind()) {
            case RUNNING -> effects.none();
            case NOT_RUNNING -> {
                forks.start(c.id(), fork);
                yield effects.none();
            }
            case UNKNOWN -> {
                if (forks.firstUnreachable(c.id())) {
                    actor.getLog().warn("FSM '{}': {}; checking again every {}", name, c.failure().reason(),
                            type.settings().forkCheckInterval().toMillis() + " ms");
                }
                yield effects.none();
            }
            case ENDED -> take(d, decider.decide(d, pending.event(), c.payload(), payload(d)),
                    List.of(new Event.DelayDone(c.id())), Outcome.none(), type.transitionStart());
            case REFUSED -> effects.persist(new Event.DelayDone(c.id())).thenRun(s -> forkFailed(new Forks.Failure(
                    new dev.finitomata.Fork(fork.supervisor(), fork.name(), fork.payload(), pending.event()),
                    c.failure())));
        };
    }

    private void forkFailed(Forks.Failure failure) {
        decider.record(failure.error());
        Forks.tell(type.listeners(), name, failure, decider::record);
    }

    /** The move itself, refused if a delayed event it schedules is not an event of the definition. */
    private Step<P> checkDelays(Step.Commit<P> commit) {
        for (Transition.Delay change : commit.delays()) {
            if (change instanceof Transition.Schedule s && !decider.definition().events().contains(s.event())) {
                return new Step.Refuse<>(FsmDecider.error(FsmError.Stage.ALLOWED, commit.from(), commit.event(), null,
                        "onTransition scheduled '" + s.event() + "' (key '" + s.key() + "'), which is not an event "
                                + "of the definition; its events are " + decider.definition().events()));
            }
        }
        return commit;
    }

    /** {@code starting}: how a start begins the FSM's life (created or placed); null for a transition. */
    Effect<Event, Data> commit(Step.Commit<P> commit, List<Event> before, Outcome<P> outcome, Lifecycle starting,
                               long started) {
        List<Event> events = new ArrayList<>(before.size() + 1 + commit.delays().size());
        events.addAll(before);
        long now = context.clock().millis();
        events.add(Event.Transitioned.of(commit.from(), commit.event(), commit.to(), commit.payload(),
                decider.version(), now));
        // committed with the move, in one write; a move that finishes the FSM forgets its delays anyway
        for (Transition.Delay change : commit.to().equals(FsmDecider.STAR) ? List.<Transition.Delay>of()
                : commit.delays()) {
            events.add(switch (change) {
                case Transition.Schedule s -> new Event.DelayScheduled(OWN_DELAY + s.key(), s.event(),
                        s.eventPayload(), now + s.delay().toMillis());
                case Transition.Cancel c -> new Event.DelayDone(OWN_DELAY + c.key());
            });
        }
        Forks.Plan forked = !forking ? Forks.NONE
                : forks.plan(commit.from(), commit.to(), commit.event(), commit.payload());
        events.addAll(forked.events());
        // the caller is answered once: by the journal's outcome, or first, when the node finds the journal down while
        // the write is in flight, by the node's outage watch (on its thread) saying that the write is in doubt
        boolean awaited = outcome != Outcome.<P>none();
        java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
        Outcome<P> answer = !awaited ? outcome : new Outcome<>(state -> {
            if (answered.compareAndSet(false, true)) {
                outcome.committed().accept(state);
            } else {
                host.writeSettled(); // told in doubt, and written after all
            }
        }, error -> {
            if (answered.compareAndSet(false, true)) {
                outcome.failed().accept(error);
            }
        });
        String event = commit.event();
        String from = commit.from();
        Runnable inDoubt = !awaited ? null : () -> {
            if (answered.compareAndSet(false, true)) {
                type.outage().refused();
                host.writeInDoubt(); // first: the caller's next call, sent once it hears, must find the host told
                outcome.failed().accept(FsmDecider.error(FsmError.Stage.PERSIST, from, event, null,
                        type.outage().inDoubtReason()));
            }
        };
        InFlight write = new InFlight(event, null,
                starting != null ? InFlight.Kind.START : InFlight.Kind.TRANSITION, answer.failed(), inDoubt);
        return thenUnstash(persist(events, write, s -> {
            forks.committed(forked);
            forked.failures().forEach(this::forkFailed);
            afterCommit(commit, s, answer, starting, started);
        }));
    }

    /**
     * Listeners → event stream → timer → onEnter → hard event; or, at {@code "*"}, onTerminate and the end. A placed
     * FSM skips {@code onEnter}: it was put in its state, it did not enter it. The probes hear of it just before it is
     * answered, so that a caller that got its answer finds it counted.
     */
    private void afterCommit(Step.Commit<P> commit, Data s, Outcome<P> outcome, Lifecycle starting, long started) {
        if (starting != null) {
            begin(starting);
        }
        for (Transition.Delay change : commit.delays()) {
            switch (change) {
                case Transition.Schedule sc when s.pending().containsKey(OWN_DELAY + sc.key()) ->
                        armDelay(OWN_DELAY + sc.key(), sc.delay().toMillis());
                case Transition.Schedule sc -> { } // the move finished the FSM: its delays are forgotten
                case Transition.Cancel c -> timers.cancel(OWN_DELAY + c.key());
            }
        }
        boolean answered = false;
        try {
            FsmState<P> state = decider.committed(s, commit.from(), commit.event());
            type.events().publish(new FsmTransitioned(type.supervisorId(), name, commit.from(), commit.event(),
                    FsmDecider.current(s), s.payload()));
            if (!s.started()) {
                cancelTimers();
                state = decider.terminate(s, commit.event(), Termination.FINISHED);
                end();
                type.transitioned(commit.from(), commit.event(), commit.to(), started);
                answered = true;
                outcome.committed().accept(state);
                return;
            }
            states.state(s.current(), s.enteredAt());
            armTimer(s);
            FsmDecider.Entered<P> entered = starting == Lifecycle.PLACED ? decider.placed(s)
                    : decider.enter(s, commit.event());
            type.transitioned(commit.from(), commit.event(), commit.to(), started);
            answered = true;
            outcome.committed().accept(entered.state());
            entered.autoEvent().ifPresent(event -> actor.getSelf().tell(new Command.FireHard(event)));
        } finally {
            if (!answered) {
                outcome.committed().accept(decider.view(s)); // a JVM error escaped a hook: the transition stands
            }
        }
    }
}
