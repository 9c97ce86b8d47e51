package dev.finitomata.samples;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.util.Set;

/**
 * "An application left in review for three days is rejected" (docs/runtime.md): the move into {@code under_review}
 * schedules the FSM's own {@code expire}, committed with it; {@code approve} cancels it. {@code expire} is internal:
 * no client can send it. The payload is the applicant's name.
 */
public final class ApplicationReview extends FsmBehavior<String> {

    static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            [*] --> submitted
            submitted --> under_review : review
            under_review --> approved : approve
            under_review --> rejected : expire
            approved --> [*]
            rejected --> [*]
            """);

    public ApplicationReview(FsmContext context) {
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
    protected Transition<String> onTransition(String state, String event, Object arg, String application) {
        return switch (event) {
            case "review" -> Transition.to("under_review", application)
                    .schedule("review-timeout", "expire", null, Duration.ofDays(3));
            case "approve" -> Transition.to("approved", application).cancel("review-timeout");
            default -> Transition.to(targetOf(state, event), application);
        };
    }
}
