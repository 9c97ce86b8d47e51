package dev.finitomata;

import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test FSM that records every callback, in order, per FSM name. {@link #FAULTS} makes named hooks of one FSM throw,
 * and {@link #CREATED} counts the instances built per name (a passivated FSM is rebuilt when it wakes).
 */
public final class RecordingFsm extends FsmBehavior<Counter> {

    public static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            idle --> |start| working
            working --> |work| working
            working --> |pause?| paused
            paused --> |resume| working
            working --> |check| checking
            checking --> |done!| finishing
            finishing --> |finish!| done
            working --> |split| left,right
            left --> |join| working
            right --> |join| working
            working --> |assert| working
            working --> |stop| done
            working --> |quit| quitting
            quitting --> |bye| over
            """);

    /** Callbacks seen, per FSM name. */
    public static final Map<String, List<String>> LOG = new ConcurrentHashMap<>();
    /** Timer interval per FSM name (absent: no timer). */
    public static final Map<String, Duration> TIMERS = new ConcurrentHashMap<>();
    /**
     * Hooks that throw, per FSM name: any of onRollback, timer, autoTerminate, onTerminate, onFailure, onEnter,
     * onTimer.
     */
    public static final Map<String, Set<String>> FAULTS = new ConcurrentHashMap<>();
    /** The states the type's declared listener heard each FSM enter, in order. */
    public static final Map<String, List<String>> DECLARED_HEARD = new ConcurrentHashMap<>();
    /** The listener every supervisor of this type registers ({@code listeners()}). */
    public static final FsmListener<Counter> DECLARED = (name, state, payload) ->
            DECLARED_HEARD.computeIfAbsent(name, n -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(state);
    /** How many instances were built per FSM name. */
    public static final Map<String, AtomicInteger> CREATED = new ConcurrentHashMap<>();

    public RecordingFsm(FsmContext context) {
        super(context);
        CREATED.computeIfAbsent(context.name(), n -> new AtomicInteger()).incrementAndGet();
    }

    private void fault(String hook) {
        if (FAULTS.getOrDefault(name(), Set.of()).contains(hook)) {
            throw new IllegalStateException(hook + " fails on purpose");
        }
    }

    public static List<String> log(String name) {
        return LOG.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>());
    }

    private void record(String what) {
        log(name()).add(what);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected Counter onStart(Counter payload) {
        record("onStart");
        if (payload.value() < 0) {
            throw new IllegalArgumentException("negative start");
        }
        return payload;
    }

    @Override
    protected Transition<Counter> onTransition(String state, String event, Object arg, Counter payload)
            throws Exception {
        record("onTransition:" + state + ":" + event);
        switch (event) {
            case "work" -> {
                if ("fail".equals(arg)) {
                    return Transition.fail("asked to fail");
                }
                if ("throw".equals(arg)) {
                    throw new IllegalStateException("boom");
                }
                if ("nowhere".equals(arg)) {
                    return Transition.to("paused", payload);
                }
                if (arg instanceof Integer sleep) {
                    Thread.sleep(sleep);
                }
                return Transition.to("working", payload.plus(1));
            }
            case "split" -> {
                return Transition.to("right".equals(arg) ? "right" : "left", payload);
            }
            case "pause?" -> {
                return "no".equals(arg) ? Transition.fail("not now") : Transition.to("paused", payload);
            }
            case "assert" -> throw new AssertionError("an assertion in a callback");
            default -> {
                return super.onTransition(state, event, arg, payload);
            }
        }
    }

    @Override
    protected void onEnter(String state, FsmState<Counter> fsm) {
        record("onEnter:" + state);
        fault("onEnter");
    }

    @Override
    protected void onExit(String state, FsmState<Counter> fsm) {
        record("onExit:" + state);
    }

    @Override
    protected void onFailure(String event, Object eventPayload, FsmState<Counter> fsm) {
        record("onFailure:" + event);
        fault("onFailure");
    }

    @Override
    protected void onRollback(String target, FsmState<Counter> fsm) {
        record("onRollback:" + target);
        fault("onRollback");
    }

    @Override
    protected List<FsmListener<Counter>> listeners() {
        return List.of(DECLARED);
    }

    @Override
    protected void onTerminate(FsmState<Counter> fsm, Termination reason) throws Exception {
        record("onTerminate:" + reason);
        super.onTerminate(fsm, reason);
    }

    @Override
    protected void onTerminate(FsmState<Counter> fsm) {
        record("onTerminate");
        fault("onTerminate");
    }

    @Override
    protected Optional<Duration> timer() {
        fault("timer");
        return Optional.ofNullable(TIMERS.get(name()));
    }

    @Override
    protected boolean autoTerminate() {
        fault("autoTerminate");
        return FAULTS.getOrDefault(name(), Set.of()).contains("terminate by itself");
    }

    @Override
    protected TimerResult<Counter> onTimer(String state, FsmState<Counter> fsm) {
        record("onTimer:" + state);
        fault("onTimer");
        if (!state.equals("working")) {
            return TimerResult.ok();
        }
        Counter next = fsm.payload().plus(100);
        return next.value() >= 300 ? TimerResult.transition("stop", null, next) : TimerResult.update(next);
    }
}
