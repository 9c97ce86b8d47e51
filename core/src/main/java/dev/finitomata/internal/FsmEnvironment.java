package dev.finitomata.internal;

import dev.finitomata.FsmListener;
import dev.finitomata.definition.FsmDefinition;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;

/**
 * INTERNAL API. What every FSM of one facade shares: the facade id, the FSM type, settings, listeners, the payload
 * check, and the definition (probed when the facade is created, or learnt from the first FSM), so the facade can validate events.
 */
public final class FsmEnvironment {

    private final String supervisorId;
    private final Class<?> type;
    private final FsmSettings settings;
    private final List<FsmListener<Object>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<FsmDefinition> definition = new AtomicReference<>();
    private final PayloadVerifier payloads;
    private final Consumer<Object> payloadCheck;
    private final BackoffSupervisorStrategy restartBackoff;

    public FsmEnvironment(String supervisorId, Class<?> type, FsmSettings settings, PayloadVerifier payloads) {
        this.supervisorId = Objects.requireNonNull(supervisorId, "supervisorId");
        this.type = Objects.requireNonNull(type, "type");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.payloadCheck = payload -> payloads.verify(payload, "payload");
        this.restartBackoff = SupervisorStrategy.restartWithBackoff(settings.restartMinBackoff(),
                settings.restartMaxBackoff(), settings.restartRandomFactor());
    }

    /** The check of the payloads FSMs persist (one shared instance: FSMs are many). */
    public Consumer<Object> payloadCheck() {
        return payloadCheck;
    }

    /** How an FSM restarts after a journal failure (one shared instance: FSMs are many). */
    public BackoffSupervisorStrategy restartBackoff() {
        return restartBackoff;
    }

    /** The payload check shared by the facade and its FSMs. */
    public PayloadVerifier payloads() {
        return payloads;
    }

    public String supervisorId() {
        return supervisorId;
    }

    public Class<?> type() {
        return type;
    }

    public FsmSettings settings() {
        return settings;
    }

    public List<FsmListener<Object>> listeners() {
        return listeners;
    }

    @SuppressWarnings("unchecked")
    public void addListener(FsmListener<?> listener) {
        listeners.add((FsmListener<Object>) Objects.requireNonNull(listener, "listener"));
    }

    /** The definition of this facade's FSM type, once known (null before). */
    public FsmDefinition definition() {
        return definition.get();
    }

    public void learn(FsmDefinition learnt) {
        if (learnt != null) {
            definition.compareAndSet(null, learnt);
        }
    }

    /** The persistence id of the FSM {@code name}: {@code fsm|<supervisor id>|<type's simple name>|<name>}. */
    public String persistenceId(String name) {
        return PersistenceIds.of(supervisorId, type, name);
    }
}
