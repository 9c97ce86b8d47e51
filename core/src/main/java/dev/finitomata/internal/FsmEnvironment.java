package dev.finitomata.internal;

import dev.finitomata.FsmListener;
import dev.finitomata.definition.FsmDefinition;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * INTERNAL API. What every FSM of one facade shares: the facade id, the FSM type, settings, listeners, the
 * definition (learnt from the first FSM, so the facade can validate events), and how an FSM stops itself
 * (a local FSM stops; a sharded one asks its shard to passivate it).
 */
public final class FsmEnvironment {

    private final String supervisorId;
    private final Class<?> type;
    private final FsmSettings settings;
    private final List<FsmListener<Object>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<FsmDefinition> definition = new AtomicReference<>();
    private final BiConsumer<String, ActorContext<FsmProtocol.Command>> stopSelf;
    private final boolean sharded;

    /**
     * @param stopSelf how an FSM that must go away (not started, failed to start, finished) is removed
     * @param sharded  whether FSMs are sharded entities: they passivate instead of stopping
     */
    public FsmEnvironment(String supervisorId, Class<?> type, FsmSettings settings,
                          BiConsumer<String, ActorContext<FsmProtocol.Command>> stopSelf, boolean sharded) {
        this.sharded = sharded;
        this.supervisorId = Objects.requireNonNull(supervisorId, "supervisorId");
        this.type = Objects.requireNonNull(type, "type");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.stopSelf = Objects.requireNonNull(stopSelf, "stopSelf");
    }

    public boolean sharded() {
        return sharded;
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

    /** The definition of this facade's FSM type, once one FSM has been created. */
    public FsmDefinition definition() {
        return definition.get();
    }

    public void learn(FsmDefinition learnt) {
        definition.compareAndSet(null, learnt);
    }

    /** Stops the FSM {@code name} whose actor context this is (it cannot stop itself from a side effect). */
    public void stopSelf(String name, ActorContext<FsmProtocol.Command> context) {
        stopSelf.accept(name, context);
    }

    /** The persistence id of the FSM {@code name}: {@code fsm|<supervisor id>|<type's simple name>|<name>}. */
    public String persistenceId(String name) {
        return PersistenceIds.of(supervisorId, type, name);
    }
}
