package dev.finitomata;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a running FSM, as seen after its last committed transition.
 *
 * @param name      the FSM's name
 * @param current   the current state ({@code "*"} only before the entry transition or after the end)
 * @param payload   the FSM's payload
 * @param history   previous states, newest first, bounded by {@code finitomata.history-size}
 * @param lastError the last failure, cleared by the next successful transition
 * @param lifecycle whether the FSM was created fresh or loaded from persistence
 * @param <P>       the payload type
 */
public record FsmState<P>(String name, String current, P payload, List<String> history,
                          Optional<FsmError> lastError, Lifecycle lifecycle) {

    /** Copies {@code history}; @throws NullPointerException if a component other than {@code payload} is null */
    public FsmState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(current, "current");
        history = List.copyOf(history);
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(lifecycle, "lifecycle");
    }
}
