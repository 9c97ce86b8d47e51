package dev.finitomata;

import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.util.Set;

/**
 * "An application left in review for three days is rejected": the transition into {@code under_review} schedules
 * the FSM's own delayed {@code expire} (an internal event) under the key {@code review-timeout}, with the delay the
 * {@code review} event carries; {@code approve} cancels it, {@code remind} schedules it again from now. A
 * {@code review} that carries a String schedules that event instead (for the refusal of an unknown one).
 */
public final class ApplicationFsm extends FsmBehavior<Integer> {

    public static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            [*] --> submitted
            submitted --> under_review : review
            under_review --> under_review : remind
            under_review --> approved : approve
            under_review --> rejected : expire
            approved --> [*]
            rejected --> [*]
            """);
    public static final String KEY = "review-timeout";

    public ApplicationFsm(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected Set<String> internalEvents() {
        return Set.of("expire");
    }

    @Override
    protected Transition<Integer> onTransition(String state, String event, Object arg, Integer steps) {
        Transition.To<Integer> to = Transition.to(targetOf(state, event), steps + 1);
        return switch (event) {
            case "review", "remind" -> arg instanceof String other ? to.schedule(KEY, other, null, Duration.ZERO)
                    : to.schedule(KEY, "expire", null, (Duration) arg);
            case "approve" -> to.cancel(KEY);
            default -> to;
        };
    }
}
