package dev.finitomata.benchmarks;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;

/** The benchmark FSM: bounces between {@code a} and {@code b}, counting the hits in its payload. */
public final class PingPong extends FsmBehavior<PingPong.Ball> {

    /** The payload: how often the ball was hit. */
    public record Ball(long hits) {
        Ball next() {
            return new Ball(hits + 1);
        }
    }

    static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            [*] --> a : init
            a --> b : go
            b --> a : go
            a --> [*] : finish
            """);

    public PingPong(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected Transition<Ball> onTransition(String state, String event, Object eventPayload, Ball payload)
            throws Exception {
        return switch (event) {
            case "go" -> Transition.to(state.equals("a") ? "b" : "a", payload.next());
            default -> super.onTransition(state, event, eventPayload, payload);
        };
    }
}
