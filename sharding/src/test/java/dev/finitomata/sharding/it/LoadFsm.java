package dev.finitomata.sharding.it;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmState;
import dev.finitomata.TimerResult;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The FSM of the multi-process cluster tests and benchmark: counts acknowledged work, timer ticks (when its payload
 * says it ticks, every second) and delayed events, so that the client can check each against what it was told. A
 * {@code work} whose argument is a {@code Duration} also schedules the FSM's own {@code delayed} after it.
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

    /** Version 2 (a node JVM started with {@code -D}{@value #VERSION}{@code =2}) renames 'working' to 'busy'. */
    static final FsmDefinition DEFINITION_2 = FsmDefinition.parse("""
            idle --> |start| busy
            busy --> |work| busy
            busy --> |delayed| busy
            busy --> |finish| done
            """);

    /** The system property that chooses the version of this FSM in a JVM [1]. */
    public static final String VERSION = "finitomata.it.load-version";

    private final int version = Integer.getInteger(VERSION, 1);
    private final String working = version >= 2 ? "busy" : "working";

    public LoadFsm(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return version >= 2 ? DEFINITION_2 : DEFINITION;
    }

    @Override
    protected int version() {
        return version;
    }

    @Override
    protected Map<String, String> renamedStates() {
        return version >= 2 ? Map.of("working", "busy") : Map.of();
    }

    @Override
    protected Transition<Load> onTransition(String state, String event, Object arg, Load load) throws Exception {
        return switch (event) {
            case "work" -> {
                Transition.To<Load> worked = Transition.to(working, new Load(load.works() + 1, load.ticks(),
                        load.delayed(), load.ticking()));
                // a work that carries a delay also schedules the FSM's own 'delayed', committed with it
                yield arg instanceof Duration delay ? worked.schedule("own-delay", "delayed", null, delay) : worked;
            }
            case "delayed" -> Transition.to(working, new Load(load.works(), load.ticks(), load.delayed() + 1,
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
