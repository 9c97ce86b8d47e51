package dev.finitomata.samples;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;

/** The example FSM of docs/runtime.md, exactly as shown there (run by DocsTest). */
public final class Turnstile extends FsmBehavior<Turnstile.Count> {
    public record Count(int coins) { }

    static final FsmDefinition FSM = FsmDefinition.parse("""
        [*] --> locked : install
        locked --> unlocked : coin
        unlocked --> locked : push
        locked --> [*] : retire
        """);

    public Turnstile(FsmContext context) { super(context); }

    @Override protected FsmDefinition definition() { return FSM; }

    @Override
    protected Transition<Count> onTransition(String state, String event, Object arg, Count count) throws Exception {
        return switch (event) {
            case "coin" -> Transition.to("unlocked", new Count(count.coins() + 1));
            default -> super.onTransition(state, event, arg, count); // the event's only target, payload unchanged
        };
    }
}
