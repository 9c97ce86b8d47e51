package dev.finitomata.internal.runtime;

import dev.finitomata.FsmSupervisor;
import dev.finitomata.spi.FsmProbe;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * INTERNAL API. The probes of one ActorSystem ({@code FsmProbes}) and the FSM types (supervisors) they observe: a
 * Pekko extension, so it lives and dies with the system.
 *
 * <p>Design: adding a probe shows it every type so far; a type created later is shown every probe. Each type keeps
 * an array of its observers ({@link FsmType#observe}), read on the FSMs' hot path without a lock; this object's lock
 * only orders the rare changes.
 */
public final class Probes implements Extension {

    private static final ExtensionId<Probes> ID = new ExtensionId<>() {
        @Override
        public Probes createExtension(ActorSystem<?> system) {
            return new Probes();
        }
    };

    private final List<FsmProbe> probes = new ArrayList<>();
    private final List<FsmType> types = new ArrayList<>();

    public static Probes of(ActorSystem<?> system) {
        return ID.apply(system);
    }

    public synchronized void add(FsmProbe probe) {
        if (!probes.contains(probe)) {
            probes.add(probe);
            types.forEach(type -> type.observe(probe));
        }
    }

    public synchronized void remove(FsmProbe probe) {
        if (probes.remove(probe)) {
            types.forEach(type -> type.forget(probe));
        }
    }

    /** The supervisor with the id {@code id} on this ActorSystem (the latest created), if any. */
    public synchronized java.util.Optional<FsmSupervisor<?>> supervisor(String id) {
        for (int i = types.size() - 1; i >= 0; i--) {
            if (types.get(i).supervisorId().equals(id) && types.get(i).facade() != null) {
                return java.util.Optional.of(types.get(i).facade());
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code supervisor} finished creating {@code type}: every probe observes it from now on. */
    public synchronized void created(FsmType type, FsmSupervisor<?> supervisor) {
        type.supervisor(supervisor);
        types.add(type);
        probes.forEach(type::observe);
    }
}
