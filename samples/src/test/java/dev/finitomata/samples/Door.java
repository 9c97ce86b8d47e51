package dev.finitomata.samples;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;

/** The README's example FSM, exactly as shown there (run by ReadmeExampleTest). */
public final class Door extends FsmBehavior<Door.Opened> {
    public record Opened(int times) { }
    static final FsmDefinition FSM = FsmDefinition.parse("""
        [*] --> closed : install
        closed --> opened : open
        opened --> closed : close
        closed --> [*] : remove
        """);
    public Door(FsmContext context) { super(context); }
    @Override protected FsmDefinition definition() { return FSM; }
    @Override protected Transition<Opened> onTransition(String state, String event, Object arg, Opened o) {
        return Transition.to(targetOf(state, event), event.equals("open") ? new Opened(o.times() + 1) : o);
    }
}
