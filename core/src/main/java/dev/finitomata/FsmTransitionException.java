package dev.finitomata;

import java.io.Serial;
import java.util.Objects;

/**
 * A call on an FSM failed; {@link #error()} says where and why. For a transition, the FSM keeps running in its
 * previous state (a journal failure also restarts it from its journal). For a start ({@code FsmError.Stage.START}:
 * {@code onStart} failed, the factory failed, a migration was refused), the FSM does not run and nothing was
 * persisted. A stop that could not be persisted (in a cluster) fails with it too, stage {@code PERSIST}.
 */
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
