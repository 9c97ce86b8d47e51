package dev.finitomata.internal.runtime;

/**
 * INTERNAL API. How an FSM's name maps to its persistence id: {@code fsm|<supervisor id>|<type>|<name>}, where
 * {@code <type>} is the type name pinned for the supervisor id ({@link TypePins}): the simple name of the behavior
 * class it first ran with. The name comes last, so any name is unambiguous; supervisor ids may not contain
 * {@code |}. Renaming or moving the behavior class keeps the stored state; renaming the supervisor id does not.
 */
public final class PersistenceIds {

    private PersistenceIds() {
    }

    /** The persistence id of {@code name} for a supervisor id whose pinned type name is {@code typeName}. */
    public static String of(String supervisorId, String typeName, String name) {
        return "fsm|" + supervisorId + "|" + typeName + "|" + name;
    }

    /** The persistence id of {@code name} for a supervisor id first run with {@code type} (so pinned to it). */
    public static String of(String supervisorId, Class<?> type, String name) {
        return of(supervisorId, type.getSimpleName(), name);
    }
}
