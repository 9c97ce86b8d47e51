package dev.finitomata.internal;

import dev.finitomata.FsmListener;
import dev.finitomata.definition.FsmDefinition;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

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

    public FsmEnvironment(String supervisorId, Class<?> type, FsmSettings settings, PayloadVerifier payloads) {
        this.supervisorId = Objects.requireNonNull(supervisorId, "supervisorId");
        this.type = Objects.requireNonNull(type, "type");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
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
