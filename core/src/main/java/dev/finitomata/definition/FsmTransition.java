package dev.finitomata.definition;

import java.util.Objects;

/**
 * One transition of a definition: in state {@code from}, event {@code event} may lead to state {@code to}.
 * The pseudo-state (start and end, {@code [*]} in a state diagram) is written {@value FsmDefinition#PSEUDO_STATE}.
 *
 * @param from  the source state, or {@code "*"} for the start
 * @param event the event name, with its {@code !}/{@code ?} suffix if any
 * @param to    the target state, or {@code "*"} for the end
 */
public record FsmTransition(String from, String event, String to) {

    /**
     * The names are interned: a caller's string literal is then the definition's own string, and the lookups made on
     * every transition (by state, by event) match it by identity, without comparing characters.
     *
     * @throws NullPointerException if any component is null
     */
    public FsmTransition {
        from = Objects.requireNonNull(from, "from").intern();
        event = Objects.requireNonNull(event, "event").intern();
        to = Objects.requireNonNull(to, "to").intern();
    }

    @Override
    public String toString() {
        return from + " --" + event + "--> " + to;
    }
}
