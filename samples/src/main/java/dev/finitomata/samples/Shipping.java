package dev.finitomata.samples;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Retry;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * "A paid order is handed to the carrier; if the carrier is down, try again later, and give up after a day"
 * (docs/runtime.md, Retried hard events): {@code paid} ships by itself ({@code ship!}), retried with a backoff; when
 * the attempts run out, the order moves to {@code needs_attention} for a person to look at. The payload is the
 * tracking number, empty until shipped; the carrier is a function from the order's name to a tracking number, which
 * throws while the carrier is down.
 */
public final class Shipping extends FsmBehavior<String> {

    static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            [*] --> paid
            paid --> shipped : ship!
            paid --> needs_attention : ship!
            shipped --> [*]
            needs_attention --> paid : retry
            needs_attention --> [*]
            """);

    private final Function<String, String> carrier;

    public Shipping(FsmContext context, Function<String, String> carrier) {
        super(context);
        this.carrier = carrier;
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected Optional<Retry> retry(String state) {
        return state.equals("paid")
                ? Optional.of(Retry.attempts(8).backoff(Duration.ofMinutes(1), Duration.ofHours(4))
                        .thenMoveTo("needs_attention"))
                : Optional.empty();
    }

    @Override
    protected Transition<String> onTransition(String state, String event, Object arg, String tracking) {
        if (event.equals("ship!")) {
            Retry.Attempt attempt = (Retry.Attempt) arg; // 1 for the first; lastFailure() says why the last failed
            context().log().info("shipping {}, attempt {} of {}", name(), attempt.number(), attempt.of());
            return Transition.to("shipped", carrier.apply(name())); // throws while the carrier is down
        }
        return Transition.to(targetOf(state, event), tracking);
    }
}
