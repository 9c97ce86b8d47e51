package dev.finitomata.definition;

import java.util.ArrayList;
import java.util.List;

/**
 * A walk through a definition: consecutive transitions, each starting where the previous one ended.
 *
 * @param steps the transitions, in order; empty for the path from a state to itself
 */
public record FsmPath(List<FsmTransition> steps) {

    /** Copies {@code steps}. */
    public FsmPath {
        steps = List.copyOf(steps);
    }

    /** The events to send, in order, to walk this path. */
    public List<String> events() {
        return steps.stream().map(FsmTransition::event).toList();
    }

    /** The states visited, starting with the first step's source (empty for an empty path). */
    public List<String> states() {
        List<String> states = new ArrayList<>(steps.size() + 1);
        if (!steps.isEmpty()) {
            states.add(steps.get(0).from());
        }
        steps.forEach(step -> states.add(step.to()));
        return List.copyOf(states);
    }

    @Override
    public String toString() {
        return steps.isEmpty() ? "[]" : String.join(" -> ", states()) + " via " + events();
    }
}
