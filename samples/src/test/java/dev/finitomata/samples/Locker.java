package dev.finitomata.samples;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmDiagram;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;

/** docs/definition-language.md, "Checked by javac", quoted there as it is: a diagram javac validates. */
@FsmDiagram("""
        [*] --> locked : init
        locked --> unlocked : unlock
        unlocked --> locked : lock
        unlocked --> [*] : remove
        """)
public final class Locker extends FsmBehavior<Integer> {
    public Locker(FsmContext context) { super(context); }

    @Override
    protected FsmDefinition definition() { return LockerDefinition.DEFINITION; }

    @Override
    protected Transition<Integer> onTransition(String state, String event, Object arg, Integer opened)
            throws Exception {
        return switch (event) {
            case LockerDefinition.Events.UNLOCK -> Transition.to(LockerDefinition.States.UNLOCKED, opened + 1);
            default -> super.onTransition(state, event, arg, opened);
        };
    }
}
