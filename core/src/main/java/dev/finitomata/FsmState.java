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

    /**
     * The state before the current one: the newest entry of {@link #history()} (which includes {@code "*"}, where
     * the FSM came from when it entered its first state); empty when the history is empty (a fresh FSM, or
     * {@code finitomata.history-size = 0}).
     */
    public Optional<String> previous() {
        return history.isEmpty() ? Optional.empty() : Optional.of(history.get(0));
    }

    /**
     * Whether the FSM is in {@code state} or was in it within the remembered {@link #history()} (the last
     * {@code finitomata.history-size} states, 5 by default: older visits are not remembered).
     */
    public boolean visited(String state) {
        return current.equals(state) || history.contains(state);
    }

    /**
     * {@link #history()} with re-entries collapsed, as Finitomata keeps it ({@code {state, n}}): each run of
     * consecutive entries of one state (a self-loop taken again and again) is one {@link Visit}, newest first. Bounded
     * by the remembered history, like it.
     */
    public List<Visit> visits() {
        List<Visit> visits = new java.util.ArrayList<>();
        for (String state : history) {
            int last = visits.size() - 1;
            if (last >= 0 && visits.get(last).state().equals(state)) {
                visits.set(last, new Visit(state, visits.get(last).times() + 1));
            } else {
                visits.add(new Visit(state, 1));
            }
        }
        return List.copyOf(visits);
    }

    /**
     * A run of consecutive entries of the history: {@code state}, left {@code times} times in a row.
     *
     * @param state the state
     * @param times how many consecutive entries of the history it is (at least 1)
     */
    public record Visit(String state, int times) {
    }
}
