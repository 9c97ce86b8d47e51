package dev.finitomata;

import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.FsmEnvironment;
import dev.finitomata.internal.LastErrors;
import dev.finitomata.internal.FsmProtocol.Command;
import dev.finitomata.internal.FsmProtocol.Committed;
import dev.finitomata.internal.FsmProtocol.Data;
import dev.finitomata.internal.FsmProtocol.DelayDone;
import dev.finitomata.internal.FsmProtocol.DelayDue;
import dev.finitomata.internal.FsmProtocol.DelayScheduled;
import dev.finitomata.internal.FsmProtocol.Event;
import dev.finitomata.internal.FsmProtocol.Failed;
import dev.finitomata.internal.FsmProtocol.Fire;
import dev.finitomata.internal.FsmProtocol.FireHard;
import dev.finitomata.internal.FsmProtocol.GetState;
import dev.finitomata.internal.FsmProtocol.IdleCheck;
import dev.finitomata.internal.FsmProtocol.Init;
import dev.finitomata.internal.FsmProtocol.NotRunning;
import dev.finitomata.internal.FsmProtocol.Passivated;
import dev.finitomata.internal.FsmProtocol.PayloadUpdated;
import dev.finitomata.internal.FsmProtocol.Schedule;
import dev.finitomata.internal.FsmProtocol.StartReply;
import dev.finitomata.internal.FsmProtocol.StateReply;
import dev.finitomata.internal.FsmProtocol.Stop;
import dev.finitomata.internal.FsmProtocol.Tick;
import dev.finitomata.internal.FsmProtocol.Transitioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

/**
 * The transition pipeline of one FSM incarnation, behind {@link FsmBehavior}'s final handlers.
 *
 * <p>Design: a command is decided synchronously (accept → onExit → onTransition → allowed) and becomes one
 * atomic persist; everything after the commit (listeners, event stream, timer, onEnter, hard event) runs in the
 * persist's callback, so it happens only once the journal has the transition. Failure bookkeeping that is not
 * persisted ({@code lastError}, lifecycle) lives in this object, which lives as long as the actor. While the
 * current state has a hard (or auto-terminating) event pending, every other command is stashed so that the hard
 * event is handled next; the FSM sends it to itself after the commit, or after recovery.
 */
final class FsmEngine<P> {

    static final Tick TICK = new Tick();
    private static final IdleCheck IDLE_CHECK = new IdleCheck();
    private static final String IDLE_KEY = "finitomata-idle";
    private static final String TIMER_KEY = "finitomata-timer";
    private static final String STAR = FsmDefinition.PSEUDO_STATE;

    private final FsmBehavior<P> fsm;
    private final FsmContext context;
    private final FsmEnvironment environment;
    private EffectFactories<Event, Data> effects;
    private FsmDefinition definition;
    private Optional<FsmError> lastError = Optional.empty();
    private Lifecycle lifecycle = Lifecycle.CREATED;
    private boolean initAnswered;
    private String hardFailedIn;

    /** What a transition attempt decided: a target and payload, or an error. */
    private record Decision<P>(String to, P payload, FsmError error) {
    }

    FsmEngine(FsmBehavior<P> fsm, FsmContext context) {
        this.fsm = fsm;
        this.context = context;
        this.environment = context.environment();
    }

    /**
     * The command handler: one lambda over a switch (a Pekko handler builder would allocate a case object and two
     * lambdas per command type in every FSM, about 750 bytes each).
     */
    CommandHandler<Command, Event, Data> commandHandler(EffectFactories<Event, Data> effects) {
        this.effects = effects;
        this.definition = fsm.definition();
        environment.learn(definition);
        return this::onCommand;
    }

    private Effect<Event, Data> onCommand(Data d, Command command) {
        return switch (command) {
            case Init c -> {
                touch();
                yield init(d, c);
            }
            case Fire c -> {
                touch();
                yield hardPending(d) ? effects.stash() : fire(d, c);
            }
            case FireHard c -> fireHard(d, c);
            case Schedule c -> hardPending(d) ? effects.stash() : schedule(d, c);
            case DelayDue c -> hardPending(d) ? effects.stash() : delayDue(d, c);
            case Tick c -> hardPending(d) ? effects.stash() : tick(d);
            case GetState c -> getState(d, c);
            case Stop c -> hardPending(d) ? effects.stash() : stop(d, c);
            case Passivated c -> effects.stop();
            case IdleCheck c -> idleCheck(d, c);
        };
    }

    // ---- commands ----

    /** Sharded FSMs: every command restarts the idle countdown. */
    private void touch() {
        Duration idle = environment.settings().passivateIdleAfter();
        if (environment.sharded() && !idle.isZero()) {
            context.timerScheduler().startSingleTimer(IDLE_KEY, IDLE_CHECK, idle);
        }
    }

    private Effect<Event, Data> idleCheck(Data d, IdleCheck c) {
        if (d.pending().isEmpty() && fsm.timer().isEmpty() && !hardPending(d)) {
            return effects.none().thenRun(s -> context.stopSelf());
        }
        touch();
        return effects.none();
    }

    private Effect<Event, Data> init(Data d, Init c) {
        if (initAnswered) {
            return effects.none().thenRun(s -> c.replyTo().tell(new StartReply(StartResult.ALREADY_STARTED, null)));
        }
        initAnswered = true;
        if (d.started()) {
            return effects.none().thenRun(s -> c.replyTo().tell(new StartReply(StartResult.LOADED, null)));
        }
        lifecycle = Lifecycle.CREATED;
        @SuppressWarnings("unchecked")
        P initial = (P) c.payload();
        P started;
        try {
            started = fsm.onStart(initial);
        } catch (Exception e) {
            return startFailed(d, error(FsmError.Stage.START, STAR, definition.entryEvent(), null,
                    "onStart threw " + describe(e)), c);
        }
        Decision<P> decision = decide(d, STAR, definition.entryEvent(), null, started);
        if (decision.error() != null) {
            return startFailed(d, decision.error(), c);
        }
        return commit(STAR, definition.entryEvent(), decision, List.of(),
                state -> c.replyTo().tell(new StartReply(StartResult.STARTED, null)));
    }

    private Effect<Event, Data> startFailed(Data d, FsmError error, Init c) {
        lifecycle = Lifecycle.FAILED;
        lastError = Optional.of(error);
        context.log().warn("FSM '{}' failed to start: {}", context.name(), error);
        return effects.none().thenRun(s -> {
            c.replyTo().tell(new StartReply(null, error));
            context.stopSelf();
        });
    }

    private Effect<Event, Data> fire(Data d, Fire c) {
        if (!d.started()) {
            return notRunning(c);
        }
        @SuppressWarnings("unchecked")
        P payload = (P) d.payload();
        return step(d, c.event(), c.eventPayload(), payload, List.of(), reply(c));
    }

    private Effect<Event, Data> fireHard(Data d, FireHard c) {
        if (!d.started() || !autoEvent(d.current()).map(c.event()::equals).orElse(false)) {
            return effects.none().thenUnstashAll();
        }
        @SuppressWarnings("unchecked")
        P payload = (P) d.payload();
        return step(d, c.event(), null, payload, List.of(), Outcome.none());
    }

    private Effect<Event, Data> schedule(Data d, Schedule c) {
        if (!d.started()) {
            context.log().warn("FSM '{}' is not running: delayed event '{}' dropped", context.name(), c.event());
            return effects.none().thenRun(s -> context.stopSelf());
        }
        String id = UUID.randomUUID().toString();
        long due = context.clock().millis() + c.delayMillis();
        return effects.persist(new DelayScheduled(id, c.event(), c.eventPayload(), due))
                .thenRun(s -> armDelay(id, c.delayMillis()));
    }

    private Effect<Event, Data> delayDue(Data d, DelayDue c) {
        DelayScheduled due = d.pending().get(c.id());
        if (due == null || !d.started()) {
            return effects.none();
        }
        @SuppressWarnings("unchecked")
        P payload = (P) d.payload();
        return step(d, due.event(), due.eventPayload(), payload, List.of(new DelayDone(c.id())), Outcome.none());
    }

    private Effect<Event, Data> tick(Data d) {
        if (!d.started()) {
            return effects.none();
        }
        TimerResult<P> result;
        try {
            result = fsm.onTimer(d.current(), view(d));
        } catch (Exception e) {
            FsmError error = error(FsmError.Stage.TIMER, d.current(), "onTimer", null, "onTimer threw " + describe(e));
            recordFailure(d, error);
            return effects.none().thenRun(s -> armTimer());
        }
        return switch (result) {
            case TimerResult.Ok<P> ok -> effects.none().thenRun(s -> armTimer());
            case TimerResult.Update<P> update -> effects.persist(new PayloadUpdated(update.payload()))
                    .thenRun(s -> armTimer());
            case TimerResult.Reschedule<P> again -> effects.none()
                    .thenRun(s -> context.timerScheduler().startSingleTimer(TIMER_KEY, TICK, again.delay()));
            case TimerResult.Fire<P> fire -> step(d, fire.event(), fire.eventPayload(), fire.payload(), List.of(),
                    new Outcome<>(state -> { }, error -> armTimer()));
        };
    }

    private Effect<Event, Data> getState(Data d, GetState c) {
        if (!d.started()) {
            return effects.none().thenRun(s -> {
                c.replyTo().tell(new StateReply(null));
                context.stopSelf();
            });
        }
        return effects.none().thenRun(s -> c.replyTo().tell(new StateReply(view(s))));
    }

    private Effect<Event, Data> stop(Data d, Stop c) {
        if (!d.started()) {
            return effects.none().thenRun(s -> {
                c.replyTo().tell(new NotRunning(context.name()));
                context.stopSelf();
            });
        }
        EffectBuilder<Event, Data> reply = effects.none().thenRun(s -> {
            context.timerScheduler().cancelAll();
            c.replyTo().tell(new Committed(view(s)));
        });
        return environment.sharded() ? reply.thenRun(s -> context.stopSelf()) : reply.thenStop();
    }

    private Effect<Event, Data> notRunning(Fire c) {
        return effects.none().thenRun(s -> {
            if (c.replyTo() != null) {
                c.replyTo().tell(new NotRunning(context.name()));
            } else {
                context.log().warn("FSM '{}' is not running: event '{}' dropped", context.name(), c.event());
            }
            context.stopSelf();
        });
    }

    // ---- the pipeline ----

    /** The callbacks that answer whoever asked for a transition. */
    private record Outcome<P>(Consumer<FsmState<P>> committed, Consumer<FsmError> failed) {
        static <P> Outcome<P> none() {
            return new Outcome<>(state -> { }, error -> { });
        }
    }

    private Outcome<P> reply(Fire c) {
        if (c.replyTo() == null) {
            return Outcome.none();
        }
        return new Outcome<>(state -> c.replyTo().tell(new Committed(state)),
                error -> c.replyTo().tell(new Failed(error)));
    }

    private Effect<Event, Data> step(Data d, String event, Object eventPayload, P payload, List<Event> before,
                                     Outcome<P> outcome) {
        Decision<P> decision = decide(d, d.current(), event, eventPayload, payload);
        if (decision.error() == null) {
            return commit(d.current(), event, decision, before, outcome.committed());
        }
        if (autoEvent(d.current()).map(event::equals).orElse(false)) {
            hardFailedIn = d.current();
        }
        recordFailure(d, decision.error());
        EffectBuilder<Event, Data> effect = before.isEmpty() ? effects.none() : effects.persist(before);
        return effect.thenRun(s -> outcome.failed().accept(decision.error())).thenUnstashAll();
    }

    /** Accept → onExit → onTransition → allowed; pure decision, nothing persisted. */
    private Decision<P> decide(Data d, String from, String event, Object eventPayload, P payload) {
        if (!definition.responds(from, event)) {
            Set<String> accepted = definition.eventsFrom(from);
            return failure(FsmError.Stage.ACCEPT, from, event, eventPayload, "state '" + from
                    + "' does not respond to event '" + event + "'; it responds to " + accepted);
        }
        FsmState<P> view = view(d, payload);
        if (!from.equals(STAR)) {
            try {
                fsm.onExit(from, view);
            } catch (Exception e) {
                return failure(FsmError.Stage.EXIT, from, event, eventPayload, "onExit threw " + describe(e));
            }
        }
        Transition<P> transition;
        try {
            transition = fsm.onTransition(from, event, eventPayload, payload);
        } catch (Exception e) {
            return failure(FsmError.Stage.TRANSITION, from, event, eventPayload, "onTransition threw "
                    + describe(e));
        }
        if (transition == null) {
            return failure(FsmError.Stage.TRANSITION, from, event, eventPayload, "onTransition returned null; "
                    + "return Transition.to(state, payload) or Transition.fail(reason)");
        }
        return switch (transition) {
            case Transition.Fail<P> fail -> failure(FsmError.Stage.TRANSITION, from, event, eventPayload,
                    String.valueOf(fail.reason()));
            case Transition.To<P> to -> {
                Set<String> targets = definition.targets(from, event);
                if (!targets.contains(to.next())) {
                    fsm.onRollback(to.next(), view);
                    yield failure(FsmError.Stage.ALLOWED, from, event, eventPayload, "onTransition chose '"
                            + to.next() + "', but event '" + event + "' in state '" + from + "' may only lead to "
                            + targets);
                }
                yield new Decision<>(to.next(), to.payload(), null);
            }
        };
    }

    private Decision<P> failure(FsmError.Stage stage, String state, String event, Object eventPayload,
                                String reason) {
        return new Decision<>(null, null, error(stage, state, event, eventPayload, reason));
    }

    private Effect<Event, Data> commit(String from, String event, Decision<P> decision, List<Event> before,
                                       Consumer<FsmState<P>> committed) {
        List<Event> events = new ArrayList<>(before);
        events.add(new Transitioned(from, event, decision.to(), decision.payload()));
        EffectBuilder<Event, Data> effect = (events.size() == 1 ? effects.persist(events.get(0))
                : effects.persist(events)).thenRun(d -> afterCommit(from, event, d, committed));
        if (decision.to().equals(STAR)) {
            effect = environment.sharded() ? effect.thenRun(d -> context.stopSelf()) : effect.thenStop();
        }
        return effect.thenUnstashAll();
    }

    /** Listeners → event stream → timer → onEnter → hard event (or onTerminate when finished). */
    private void afterCommit(String from, String event, Data d, Consumer<FsmState<P>> committed) {
        if (lastError.isPresent()) {
            LastErrors.succeeded(context.persistenceId());
        }
        lastError = Optional.empty();
        hardFailedIn = null;
        String to = d.current();
        @SuppressWarnings("unchecked")
        P payload = (P) d.payload();
        for (FsmListener<Object> listener : environment.listeners()) {
            try {
                listener.afterTransition(context.name(), to, payload);
            } catch (RuntimeException e) {
                context.log().warn("FSM '{}': listener {} threw {}", context.name(), listener, describe(e));
            }
        }
        Adapter.toClassic(context.system()).getEventStream().publish(
                new FsmTransitioned(environment.supervisorId(), context.name(), from, event, to, payload));
        FsmState<P> state = view(d, payload);
        if (to.equals(STAR)) {
            context.timerScheduler().cancelAll();
            try {
                fsm.onTerminate(state);
            } catch (RuntimeException e) {
                context.log().warn("FSM '{}': onTerminate threw {}", context.name(), describe(e));
            }
            committed.accept(state);
            return;
        }
        armTimer();
        try {
            fsm.onEnter(to, state);
        } catch (Exception e) {
            recordFailure(d, error(FsmError.Stage.ENTER, to, event, null, "onEnter threw " + describe(e)));
            state = view(d, payload); // with the error
        }
        committed.accept(state);
        autoEvent(to).ifPresent(hard -> context.self().getSelf().tell(new FireHard(hard)));
    }

    // ---- recovery, timers ----

    void recovered(Data d) {
        // a sharded FSM restarted by the cluster (failover, rebalance) gets no message: count its idleness from now
        touch();
        if (!d.started()) {
            return;
        }
        lifecycle = Lifecycle.LOADED;
        armTimer();
        long now = context.clock().millis();
        d.pending().values().forEach(p -> armDelay(p.id(), Math.max(0, p.dueAtMillis() - now)));
        autoEvent(d.current()).ifPresent(hard -> context.self().getSelf().tell(new FireHard(hard)));
    }

    private void armTimer() {
        fsm.timer().ifPresent(interval -> context.timerScheduler().startSingleTimer(TIMER_KEY, TICK, interval));
    }

    private void armDelay(String id, long delayMillis) {
        context.timerScheduler().startSingleTimer(id, new DelayDue(id), Duration.ofMillis(delayMillis));
    }

    // ---- helpers ----

    private boolean hardPending(Data d) {
        return d.started() && !d.current().equals(hardFailedIn) && autoEvent(d.current()).isPresent();
    }

    /** The event the FSM fires by itself in {@code state}: its hard event, or {@code __end__} when auto-terminating. */
    private Optional<String> autoEvent(String state) {
        Optional<String> hard = definition.hardEventOf(state);
        if (hard.isPresent()) {
            return hard;
        }
        Set<String> events = definition.eventsFrom(state);
        return fsm.autoTerminate() && events.size() == 1 && events.contains(FsmDefinition.END_EVENT)
                ? Optional.of(FsmDefinition.END_EVENT) : Optional.empty();
    }

    private void recordFailure(Data d, FsmError error) {
        lastError = Optional.of(error);
        LastErrors.failed(context.persistenceId(), error);
        if (FsmDefinition.isSoft(error.event())) {
            context.log().debug("FSM '{}': soft event failed: {}", context.name(), error);
            return;
        }
        context.log().warn("FSM '{}': {}", context.name(), error);
        try {
            fsm.onFailure(error.event(), error.eventPayload(), view(d));
        } catch (RuntimeException e) {
            context.log().warn("FSM '{}': onFailure threw {}", context.name(), describe(e));
        }
    }

    private FsmError error(FsmError.Stage stage, String state, String event, Object eventPayload, String reason) {
        return new FsmError(stage, state, event, eventPayload, reason);
    }

    private FsmState<P> view(Data d) {
        @SuppressWarnings("unchecked")
        P payload = (P) d.payload();
        return view(d, payload);
    }

    private FsmState<P> view(Data d, P payload) {
        return new FsmState<>(context.name(), d.current() == null ? STAR : d.current(), payload, d.history(),
                lastError, lifecycle);
    }

    private static String describe(Throwable e) {
        return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
