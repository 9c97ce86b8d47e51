package dev.finitomata;

import dev.finitomata.internal.FsmHost;
import dev.finitomata.internal.FsmProtocol;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * How one FSM is hosted by a {@link LocalSupervisor}: it registers its {@link Slot} in the facade's map of running
 * FSMs when it starts running, and when it ends closes the slot and tells the supervisor, which sends it
 * {@code Shutdown} once nothing more can be routed to it. Local FSMs never passivate; a start (and what follows it)
 * that reaches an ended FSM goes back to the supervisor, which hands it to the next incarnation.
 */
final class LocalHost implements FsmHost {

    private final String name;
    private final ActorRef<FsmProtocol.Command> self;
    private final Map<String, Slot> slots;
    private final ActorRef<LocalSupervisor.Msg> supervisor;
    private Slot slot;
    private boolean ended;

    LocalHost(String name, ActorRef<FsmProtocol.Command> self, Map<String, Slot> slots,
              ActorRef<LocalSupervisor.Msg> supervisor) {
        this.name = name;
        this.self = self;
        this.slots = slots;
        this.supervisor = supervisor;
    }

    @Override
    public boolean restoresRunning() {
        return slot != null && slot.isOpen();
    }

    @Override
    public Optional<Duration> passivateIdleAfter() {
        return Optional.empty();
    }

    @Override
    public void recovered(boolean running) {
    }

    @Override
    public void running() {
        if (slot == null) {
            slot = new Slot(self);
            slots.put(name, slot);
        }
    }

    @Override
    public void ended() {
        if (ended) {
            return;
        }
        ended = true;
        if (slot != null) {
            slots.remove(name, slot);
            slot.close();
        }
        supervisor.tell(new LocalSupervisor.ChildEnded(name, self));
    }

    @Override
    public void idle() {
    }

    @Override
    public void awake() {
    }

    @Override
    public void reroute(FsmProtocol.Command command) {
        supervisor.tell(new LocalSupervisor.Bounced(name, command));
    }
}
