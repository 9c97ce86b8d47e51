package dev.finitomata;

import java.util.Objects;

/**
 * A child FSM that a state of its parent forks (Finitomata's forks and {@code Finitomata.Flow}): return forks from
 * {@link FsmBehavior#onFork} to have them started when the parent enters that state. When the child finishes (reaches
 * {@code "*"}), the parent takes {@code event} with the child's last payload as the event payload: once, durably.
 *
 * <p>Forks are committed with the move into the state (in the same journal write), and the parent starts each child
 * under the supervisor with the id {@code supervisor} on its own node, a {@link Finitomata} or an {@code Infinitomata}
 * (create it before the parent forks). The parent checks its children every {@code finitomata.fork-check-interval}
 * (and at once when it recovers), so a child's result reaches it within that interval, also after the parent or the
 * child restarted or moved to another node.
 *
 * @param supervisor the id of the child's supervisor on this node
 * @param name       the child's name in it: choose one per parent and fork, such as {@code parent + "-passport"}
 * @param payload    the child's start payload, journaled with the fork (so it must be serialisable)
 * @param event      the event the parent takes when the child finishes; the fork's state must respond to it
 */
public record Fork(String supervisor, String name, Object payload, String event) {

    /** @throws NullPointerException or IllegalArgumentException if {@code supervisor}, {@code name} or {@code event} is null or blank */
    public Fork {
        for (String part : new String[] {supervisor, name, event}) {
            if (Objects.requireNonNull(part, "supervisor, name and event of a fork").isBlank()) {
                throw new IllegalArgumentException("a fork needs a supervisor id, a child name and an event, was "
                        + supervisor + ", " + name + ", " + event);
            }
        }
    }

    /** Start {@code name} under {@code supervisor} with {@code payload}; take {@code event} when it finishes. */
    public static Fork of(String supervisor, String name, Object payload, String event) {
        return new Fork(supervisor, name, payload, event);
    }
}
