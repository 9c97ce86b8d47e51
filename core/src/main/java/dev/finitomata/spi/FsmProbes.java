package dev.finitomata.spi;

import dev.finitomata.internal.runtime.Probes;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorSystem;

/** Installs and removes the {@link FsmProbe}s of an ActorSystem. Thread-safe. */
public final class FsmProbes {

    private FsmProbes() {
    }

    /**
     * Installs {@code probe} for every supervisor of {@code system}, present and future: {@link FsmProbe#observe} is
     * called at once for those that exist.
     *
     * @throws NullPointerException if an argument is null
     */
    public static void add(ActorSystem<?> system, FsmProbe probe) {
        Probes.of(Objects.requireNonNull(system, "system")).add(Objects.requireNonNull(probe, "probe"));
    }

    /** Uninstalls {@code probe}: its observers are told of nothing more. Removing one never added does nothing. */
    public static void remove(ActorSystem<?> system, FsmProbe probe) {
        Probes.of(Objects.requireNonNull(system, "system")).remove(Objects.requireNonNull(probe, "probe"));
    }
}
