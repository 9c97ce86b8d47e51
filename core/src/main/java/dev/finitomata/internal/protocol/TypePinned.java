package dev.finitomata.internal.protocol;

/**
 * INTERNAL API. The one event of a supervisor id's type pin (persistence id {@code fsm-type|<supervisor id>}): the
 * type name its FSMs' persistence ids carry, fixed when the id first ran, and the behavior class it ran with then.
 */
public record TypePinned(String typeName, String className) implements FsmSerializable {

    /** Nothing pinned yet. */
    public static final TypePinned NONE = new TypePinned("", "");

    /** Whether a name is pinned. */
    public boolean pinned() {
        return !typeName.isEmpty();
    }
}
