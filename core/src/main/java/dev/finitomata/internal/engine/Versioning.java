package dev.finitomata.internal.engine;

import dev.finitomata.FsmBehavior;
import dev.finitomata.definition.FsmDefinition;
import java.util.Map;

/**
 * INTERNAL API. The checks of an FSM type's versioning: {@code version()} at least 1, and {@code renamedStates()}
 * consistent with the definition. Run by the facade's startup probe (a mistake fails the facade's creation) and by
 * every FSM as it is built.
 */
public final class Versioning {

    private static final UserCode HOOKS = UserCode.get();

    private Versioning() {
    }

    /**
     * The FSM's {@code version()}.
     *
     * @throws IllegalStateException if it is below 1 or throws
     */
    public static int versionOf(FsmBehavior<?> fsm) {
        int version;
        try {
            version = HOOKS.version(fsm);
        } catch (RuntimeException e) {
            throw new IllegalStateException(fsm.getClass().getName() + ".version() threw " + Guard.describe(e), e);
        }
        if (version < 1) {
            throw new IllegalStateException(fsm.getClass().getName() + ".version() is " + version
                    + "; versions start at 1");
        }
        return version;
    }

    /**
     * Checks an FSM type's versioning against its definition: {@code version()} at least 1; every state
     * {@code renamedStates()} renames is gone from the definition, and its new name is a state of it.
     *
     * @throws IllegalStateException naming the FSM type and what to fix
     */
    public static void check(FsmBehavior<?> fsm, FsmDefinition definition) {
        int version = versionOf(fsm);
        String type = fsm.getClass().getName();
        Map<String, String> renamed;
        try {
            renamed = HOOKS.renamedStates(fsm);
        } catch (RuntimeException e) {
            throw new IllegalStateException(type + ".renamedStates() threw " + Guard.describe(e), e);
        }
        if (renamed == null) {
            throw new IllegalStateException(type + ".renamedStates() returned null; return Map.of() for none");
        }
        renamed.forEach((old, now) -> {
            if (definition.states().contains(old)) {
                throw new IllegalStateException(type + ".renamedStates() renames '" + old + "' to '" + now
                        + "', but '" + old + "' is still a state of version " + version
                        + "'s definition: drop the rename, or the state");
            }
            if (!definition.states().contains(now)) {
                throw new IllegalStateException(type + ".renamedStates() renames '" + old + "' to '" + now
                        + "', which is not a state of version " + version + "'s definition; its states are "
                        + definition.states());
            }
        });
    }
}
