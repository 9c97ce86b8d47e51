package dev.finitomata.internal.protocol;

import dev.finitomata.internal.payload.PayloadType;

/**
 * INTERNAL API. A fork of its parent that has not ended, journaled as the payload of a pending entry of the parent
 * (a {@link Event.DelayScheduled} whose id starts with {@code fork:} and that never falls due): the child's supervisor
 * id, name and start payload, so that a recovered parent can start it again.
 */
public record ForkPending(String supervisor, String name, @PayloadType Object payload) {
}
