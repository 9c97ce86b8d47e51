package dev.finitomata.samples.golden;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmState;
import dev.finitomata.TimerResult;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.util.Optional;

/**
 * The FSM of the golden journal (the fixture under {@code src/test/resources/golden}): it must keep its class name,
 * its payload record and its definition, since the fixture names them. In {@code waiting} a timer adds 1,000 to the
 * count once ({@code TimerResult.update}, a payload written without a transition).
 */
public final class GoldenFsm extends FsmBehavior<GoldenFsm.Tally> {

    /** The payload. */
    public record Tally(int count, String note) {
    }

    static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            [*] --> open : create
            open --> open : add
            open --> waiting : wait
            waiting --> closed : close
            closed --> [*] : finish
            """);

    public GoldenFsm(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected Transition<Tally> onTransition(String state, String event, Object eventPayload, Tally tally) {
        String note = eventPayload == null ? tally.note() : tally.note() + "+" + eventPayload;
        int count = event.equals("add") ? tally.count() + 1 : tally.count();
        return Transition.to(targetOf(state, event), new Tally(count, note));
    }

    @Override
    protected Optional<Duration> timer() {
        return Optional.of(Duration.ofMillis(50));
    }

    @Override
    protected TimerResult<Tally> onTimer(String state, FsmState<Tally> fsm) {
        Tally tally = fsm.payload();
        return state.equals("waiting") && tally.count() < 1000
                ? TimerResult.update(new Tally(tally.count() + 1000, tally.note())) : TimerResult.ok();
    }
}
