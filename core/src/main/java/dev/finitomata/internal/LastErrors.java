package dev.finitomata.internal;

import dev.finitomata.FsmError;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * INTERNAL API. The last error of every FSM of this JVM, by persistence id: set when a transition fails, cleared
 * when one succeeds or the FSM is deleted. JVM-wide and never persisted, like an ETS table; read by the ETS store's
 * {@code lastError}.
 */
public final class LastErrors {

    private static final ConcurrentHashMap<String, FsmError> ERRORS = new ConcurrentHashMap<>();

    private LastErrors() {
    }

    public static void failed(String persistenceId, FsmError error) {
        ERRORS.put(persistenceId, error);
    }

    public static void succeeded(String persistenceId) {
        if (!ERRORS.isEmpty()) {
            ERRORS.remove(persistenceId);
        }
    }

    public static Optional<FsmError> of(String persistenceId) {
        return Optional.ofNullable(ERRORS.get(persistenceId));
    }
}
