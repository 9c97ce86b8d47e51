package dev.finitomata.internal;

import dev.finitomata.Finitomata;
import dev.finitomata.StartResult;
import dev.finitomata.definition.FsmDefinition;
import java.time.Clock;
import java.util.concurrent.CompletionStage;

/**
 * INTERNAL API. The door from the test kit ({@code dev.finitomata.testkit}) to what {@link Finitomata} offers only
 * to it: placing an FSM in a state, waiting until an FSM has nothing under way, and the facade's definition and
 * clock. {@link Finitomata} installs the implementation when its class initialises (the JDK's "shared secrets"
 * pattern, as {@link FsmHosting}), so that none of this is public API of the facade.
 */
public final class FsmTesting {

    /** What a local facade offers the test kit. */
    public interface Access {
        /** Starts {@code name} placed in {@code state} (a fresh FSM only: one with a persisted life is loaded). */
        <P> CompletionStage<StartResult> startIn(Finitomata<P> facade, String name, String state, P payload);

        /** Completes once the FSM {@code name} has nothing under way (at once when it does not run). */
        CompletionStage<?> settle(Finitomata<?> facade, String name);

        /** The FSM type's definition, or null when the facade has not learnt it yet. */
        FsmDefinition definition(Finitomata<?> facade);

        /** The clock the facade's FSMs read. */
        Clock clock(Finitomata<?> facade);
    }

    private static volatile Access access;

    private FsmTesting() {
    }

    /** Called once, by {@link Finitomata}. @throws IllegalStateException if called again */
    public static synchronized void install(Access implementation) {
        if (access != null) {
            throw new IllegalStateException("the test kit's access is already installed");
        }
        access = implementation;
    }

    /** The access; {@link Finitomata} is initialised by then, since a facade is passed to every method. */
    public static Access access() {
        Access installed = access;
        if (installed == null) {
            try {
                Class.forName(Finitomata.class.getName(), true, FsmTesting.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("finitomata-core is incomplete", e);
            }
            installed = access;
        }
        return installed;
    }
}
