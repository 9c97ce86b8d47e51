package dev.finitomata;

import java.time.Instant;
import java.util.Objects;

/**
 * One running FSM as {@link FsmSupervisor#find} lists it.
 *
 * @param name  the FSM's name
 * @param state its current state
 * @param since when it last entered that state (a self-transition counts as entering), by the FSM's clock;
 *              {@link Instant#EPOCH} when its journal predates Finitomata 0.2 and does not say
 */
public record FsmSummary(String name, String state, Instant since) {

    /** @throws NullPointerException if a component is null */
    public FsmSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }
}
