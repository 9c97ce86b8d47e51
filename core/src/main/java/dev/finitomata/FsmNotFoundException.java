package dev.finitomata;

import java.io.Serial;
import java.util.Objects;

/** No FSM of that name is running under this supervisor: start it first (its persisted state, if any, is reloaded). */
public final class FsmNotFoundException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String name;

    /** @throws NullPointerException if an argument is null */
    public FsmNotFoundException(String supervisorId, String name) {
        super("no FSM named '" + Objects.requireNonNull(name, "name") + "' is running in '"
                + Objects.requireNonNull(supervisorId, "supervisorId") + "': start it first with start(\"" + name
                + "\", payload)");
        this.name = name;
    }

    /** The name that was not found. */
    public String name() {
        return name;
    }
}
