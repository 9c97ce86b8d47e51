package dev.finitomata.internal;

import dev.finitomata.FsmFactory;
import dev.finitomata.definition.FsmDefinition;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;

/**
 * INTERNAL API. The door from hosts outside the runtime's package (the cluster module) to the FSM actor, which is
 * package-private in {@code dev.finitomata} so that no public type names an internal one. The runtime installs the
 * implementation when its FSM actor class initialises (the JDK's "shared secrets" pattern).
 */
public final class FsmHosting {

    /** What the runtime offers its hosts. */
    public interface Runtime {
        Behavior<FsmProtocol.Command> fsm(FsmEnvironment environment, FsmFactory<?> factory, String name,
                                          FsmHost.Factory host);

        Optional<FsmDefinition> probeDefinition(ActorSystem<?> system, FsmEnvironment environment,
                                                FsmFactory<?> factory);
    }

    private static final String RUNTIME_CLASS = "dev.finitomata.FsmActor";
    private static volatile Runtime runtime;

    private FsmHosting() {
    }

    /** Called once, by the runtime. @throws IllegalStateException if called again */
    public static synchronized void install(Runtime implementation) {
        if (runtime != null) {
            throw new IllegalStateException("the Finitomata runtime is already installed");
        }
        runtime = implementation;
    }

    /** The behavior of the FSM {@code name}, hosted by what {@code host} builds. */
    public static Behavior<FsmProtocol.Command> fsm(FsmEnvironment environment, FsmFactory<?> factory, String name,
                                                    FsmHost.Factory host) {
        return runtime().fsm(environment, factory, name, host);
    }

    /**
     * The FSM type's definition, read from one instance built with a detached context (no actor), so that a facade
     * can check event names before it hosts any FSM. Empty when the constructor needs what a detached context
     * cannot give; the definition is then learnt from the first FSM the facade hosts.
     */
    public static Optional<FsmDefinition> probeDefinition(ActorSystem<?> system, FsmEnvironment environment,
                                                          FsmFactory<?> factory) {
        return runtime().probeDefinition(system, environment, factory);
    }

    private static Runtime runtime() {
        Runtime installed = runtime;
        if (installed == null) {
            try {
                Class.forName(RUNTIME_CLASS, true, FsmHosting.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("finitomata-core is incomplete: " + RUNTIME_CLASS + " is missing", e);
            }
            installed = runtime;
        }
        return installed;
    }
}
