package dev.finitomata.broken;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmDiagram;
import dev.finitomata.definition.FsmDefinition;

/** A door whose diagram (door.mmd, next to this class in src/main/resources) is broken on purpose. */
@FsmDiagram(resource = "door.mmd")
public final class Door extends FsmBehavior<Integer> {

    public Door(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DoorDefinition.DEFINITION;
    }
}
