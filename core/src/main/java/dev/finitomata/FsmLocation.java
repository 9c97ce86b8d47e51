package dev.finitomata;

import java.util.Objects;

/**
 * Where a running FSM lives.
 *
 * @param name the FSM's name
 * @param node the address of the node (ActorSystem) running it, e.g. {@code pekko://app@127.0.0.1:2551}
 */
public record FsmLocation(String name, String node) {

    /** @throws NullPointerException if an argument is null */
    public FsmLocation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(node, "node");
    }
}
