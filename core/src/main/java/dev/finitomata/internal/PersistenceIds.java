package dev.finitomata.internal;

/**
 * INTERNAL API. How an FSM's name maps to its persistence id: {@code fsm|<supervisor id>|<type>|<name>}, where
 * {@code <type>} is the simple name of the FSM's behavior class. The name comes last, so any name is unambiguous;
 * supervisor ids may not contain {@code |}. Renaming the behavior class or the supervisor id orphans the stored
 * state; moving the class to another package does not.
 */
public final class PersistenceIds {

    private PersistenceIds() {
    }

    public static String of(String supervisorId, Class<?> type, String name) {
        return "fsm|" + supervisorId + "|" + type.getSimpleName() + "|" + name;
    }
}
