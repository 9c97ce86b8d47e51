package dev.finitomata.sharding.internal;

import dev.finitomata.internal.protocol.Command;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/** INTERNAL API. Builds the behavior of the FSM an {@link FsmGate} hosts as its child. */
@FunctionalInterface
public interface GateChild {

    /**
     * @param gate           the gate's ref, for the FSM's host
     * @param timerResumesAt when the timer's tick is due for a child woken from passivation (0: not woken), read once
     *                       as the child recovers
     */
    Behavior<Command> create(ActorRef<Command> gate, LongSupplier timerResumesAt);
}
