package dev.finitomata;

import java.io.Serial;
import java.util.Objects;

/** A transition failed; {@link #error()} says where and why. The FSM is still running, in its previous state. */
public final class FsmTransitionException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient FsmError error;

    /** @throws NullPointerException if an argument is null */
    public FsmTransitionException(String name, FsmError error) {
        super("FSM '" + Objects.requireNonNull(name, "name") + "': " + Objects.requireNonNull(error, "error"));
        this.error = error;
    }

    /** Where and why the transition failed. */
    public FsmError error() {
        return error;
    }
}
