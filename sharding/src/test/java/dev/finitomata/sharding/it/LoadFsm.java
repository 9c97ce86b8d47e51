package dev.finitomata.sharding.it;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmState;
import dev.finitomata.TimerResult;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.util.Optional;

/**
 * The FSM of the multi-process cluster tests and benchmark: counts acknowledged work, timer ticks (when its payload
 * says it ticks, every second) and delayed events, so that the client can check each against what it was told.
 */
public final class LoadFsm extends FsmBehavior<LoadFsm.Load> {

    /** What the FSM counted. */
    public record Load(int works, int ticks, int delayed, boolean ticking) {
    }

    static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            idle --> |start| working
            working --> |work| working
            working --> |delayed| working
            working --> |finish| done
            """);

    public LoadFsm(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected Transition<Load> onTransition(String state, String event, Object arg, Load load) throws Exception {
        return switch (event) {
            case "work" -> Transition.to("working", new Load(load.works() + 1, load.ticks(), load.delayed(),
                    load.ticking()));
            case "delayed" -> Transition.to("working", new Load(load.works(), load.ticks(), load.delayed() + 1,
                    load.ticking()));
            default -> super.onTransition(state, event, arg, load);
        };
    }

    /** Whether this FSM ticks; null right after recovery (timer() cannot see the payload): tick to find out. */
    private Boolean ticking;

    @Override
    protected Optional<Duration> timer() {
        return Boolean.FALSE.equals(ticking) ? Optional.empty() : Optional.of(Duration.ofSeconds(1));
    }

    @Override
    protected void onEnter(String state, FsmState<Load> fsm) {
        ticking = fsm.payload().ticking();
    }

    @Override
    protected TimerResult<Load> onTimer(String state, FsmState<Load> fsm) {
        Load load = fsm.payload();
        ticking = load.ticking();
        return ticking ? TimerResult.update(new Load(load.works(), load.ticks() + 1, load.delayed(), true))
                : TimerResult.ok();
    }
}
