package dev.finitomata;

import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A support ticket that escalates by itself: {@code escalate} is an internal event, fired only by the ticket's timer
 * when it has waited in {@code open} for {@link #WAIT}. The payload counts replies.
 */
public final class TicketFsm extends FsmBehavior<Integer> {

    public static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            [*] --> open
            open : waiting for an answer
            open --> open : reply
            open --> escalated : escalate
            open --> closed : close
            escalated --> closed : close
            closed --> [*]
            """);
    public static final Duration WAIT = Duration.ofHours(24);

    public TicketFsm(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected Set<String> internalEvents() {
        return Set.of("escalate");
    }

    /** A timer in {@code open} only. */
    @Override
    protected Optional<Duration> timer(String state) {
        return state.equals("open") ? Optional.of(WAIT) : Optional.empty();
    }

    @Override
    protected TimerResult<Integer> onTimer(String state, FsmState<Integer> fsm) {
        return TimerResult.transition("escalate", null, fsm.payload());
    }

    @Override
    protected Transition<Integer> onTransition(String state, String event, Object arg, Integer replies) {
        return Transition.to(targetOf(state, event), event.equals("reply") ? replies + 1 : replies);
    }
}
