package dev.finitomata;

import dev.finitomata.internal.FsmProtocol;
import java.io.Serial;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The local gate to one running FSM: its actor, and how many callers are sending to it right now (negative once the
 * gate is closed).
 *
 * <p>Design: the facade sends to an FSM directly, without passing through the supervisor, after reading its slot
 * from a concurrent map. A caller could read the slot, then lose the processor while the FSM ends; its message would
 * then reach an actor that has stopped, and its ask would wait for the timeout. So a sender enters the slot before it
 * sends and leaves after, and the FSM closes the slot when it ends and waits (a few instructions) until no sender is
 * inside. Every message a sender got in is then in the FSM's mailbox before the FSM's host is told of its end, and is
 * answered as "not running"; a sender that comes later finds the slot closed and answers at once itself.
 */
final class Slot extends AtomicInteger {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final int CLOSED = Integer.MIN_VALUE;

    final transient ActorRef<FsmProtocol.Command> fsm;

    Slot(ActorRef<FsmProtocol.Command> fsm) {
        this.fsm = fsm;
    }

    /** Enters the gate; false when it is closed (the FSM ended). Pair a true answer with {@link #leave()}. */
    boolean enter() {
        if (getAndIncrement() < 0) {
            decrementAndGet();
            return false;
        }
        return true;
    }

    void leave() {
        decrementAndGet();
    }

    /** Sends {@code command} unless the gate is closed; answers whether it was sent. */
    boolean tell(FsmProtocol.Command command) {
        if (!enter()) {
            return false;
        }
        try {
            fsm.tell(command);
            return true;
        } finally {
            leave();
        }
    }

    /** Closes the gate and waits until every sender that got in has sent. Called once, by the FSM. */
    void close() {
        addAndGet(CLOSED);
        int spins = 0;
        while (get() != CLOSED) {
            if (++spins % 64 == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    boolean isOpen() {
        return get() >= 0;
    }
}
