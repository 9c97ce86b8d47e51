package dev.finitomata.internal.runtime;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.FsmFactory;
import dev.finitomata.RecordingFsm;
import dev.finitomata.internal.payload.PayloadVerifier;
import dev.finitomata.internal.protocol.Command;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;

/** Hosts one FSM actor: it restores a running FSM by itself when {@code resumes}, as a woken gate's child does. */
record BareHost(boolean resumes) implements FsmHost {

    /** A test kit on Pekko's in-memory journal, with {@code extra} configuration (HOCON) over it. */
    static ActorTestKit kit(String name, String extra) {
        return ActorTestKit.create(name, ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
                pekko.persistence.snapshot-store.local.dir = "target/snapshots-%s-%d"
                """.formatted(name, System.nanoTime()) + extra).withFallback(ConfigFactory.load()));
    }

    /** The FSM type {@code id} of {@link RecordingFsm}s, with the kit's settings. */
    static FsmType type(ActorTestKit kit, String id) {
        return new FsmType(kit.system(), id, RecordingFsm.class, FsmSettings.from(kit.system().settings().config()),
                new PayloadVerifier(kit.system(), false));
    }

    /** An FSM actor of {@code type} named {@code name}, hosted by a bare host. */
    static ActorRef<Command> spawn(ActorTestKit kit, FsmType type, String name, boolean resumes) {
        return kit.spawn(FsmRuntime.behavior(type, (FsmFactory<Counter>) RecordingFsm::new, name,
                (n, ctx) -> new BareHost(resumes)));
    }
    @Override
    public boolean restoresByItself() {
        return false;
    }

    @Override
    public boolean restoresRunning() {
        return resumes;
    }

    @Override
    public Optional<Duration> passivateIdleAfter() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> wakeAhead() {
        return Optional.empty();
    }

    @Override
    public void recovered(boolean running) {
    }

    @Override
    public void restarting(String cause) {
    }

    @Override
    public void writeInDoubt() {
    }

    @Override
    public void writeSettled() {
    }

    @Override
    public void running() {
    }

    @Override
    public void state(String state, long since) {
    }

    @Override
    public void ended() {
    }

    @Override
    public void idle() {
    }

    @Override
    public void awake() {
    }

    @Override
    public void reroute(Command command) {
    }
}
