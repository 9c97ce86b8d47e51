package dev.finitomata.sharding.internal;

import dev.finitomata.internal.FsmHost;
import dev.finitomata.internal.FsmProtocol;
import dev.finitomata.internal.FsmProtocol.Note;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * INTERNAL API. How a sharded FSM is hosted: everything it has to say goes to its {@link FsmGate}, which decides.
 * The cluster restores running FSMs by itself (remembered entities), so a recovered running FSM runs at once.
 */
public final class ShardedHost implements FsmHost {

    private final ActorRef<FsmProtocol.Command> gate;
    private final Optional<Duration> passivateIdleAfter;
    private boolean ended;

    public ShardedHost(ActorRef<FsmProtocol.Command> gate, Duration passivateIdleAfter) {
        this.gate = gate;
        this.passivateIdleAfter = passivateIdleAfter.isZero() ? Optional.empty() : Optional.of(passivateIdleAfter);
    }

    @Override
    public boolean restoresByItself() {
        return true;
    }

    @Override
    public boolean restoresRunning() {
        return true;
    }

    @Override
    public Optional<Duration> passivateIdleAfter() {
        return passivateIdleAfter;
    }

    @Override
    public void recovered(boolean running) {
        tell(running ? Note.RECOVERED_RUNNING : Note.RECOVERED_VACANT);
    }

    @Override
    public void running() {
        tell(Note.RUNNING);
    }

    @Override
    public void ended() {
        if (!ended) {
            ended = true;
            tell(Note.ENDED);
        }
    }

    @Override
    public void idle() {
        tell(Note.IDLE);
    }

    @Override
    public void awake() {
        tell(Note.AWAKE);
    }

    @Override
    public void reroute(FsmProtocol.Command command) {
        gate.tell(new FsmProtocol.Hosting(Note.REROUTE, command));
    }

    private void tell(Note note) {
        gate.tell(new FsmProtocol.Hosting(note, null));
    }
}
