package dev.finitomata.persistence.tck;

import org.apache.pekko.actor.ActorRef;

/** A payload holding an actor ref: serialising it needs transport information (as the Pekko TCK's TestPayload). */
public record TestPayload(ActorRef ref) {
}
