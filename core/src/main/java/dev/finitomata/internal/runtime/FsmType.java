package dev.finitomata.internal.runtime;

import dev.finitomata.FsmError;
import dev.finitomata.FsmListener;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.payload.PayloadVerifier;
import dev.finitomata.spi.FsmProbe;
import dev.finitomata.spi.FsmSupervisorInfo;
import dev.finitomata.spi.FsmTypeProbe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.event.EventStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. What every FSM of one type (one facade) shares, held once: the facade id, the behavior class, the
 * settings, the listeners, the payload check, the restart backoff, the event stream, and the definition (probed when
 * the facade is created, or learnt from the first FSM), so that the facade can validate events. FSM actors keep a
 * reference to it instead of copies, since FSMs are many.
 */
public final class FsmType {

    private static final Logger LOG = LoggerFactory.getLogger(FsmType.class);

    private final String supervisorId;
    private final Class<?> type;
    private final FsmSettings settings;
    private final List<FsmListener<Object>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<FsmDefinition> definition = new AtomicReference<>();
    private final PayloadVerifier payloads;
    private final Consumer<Object> payloadCheck;
    private final BackoffSupervisorStrategy restartBackoff;
    private final StoreOutage outage;
    private final EventStream events;
    /** The running FSMs of this type on this node, by state. */
    private final StateIndex index = new StateIndex();
    /** What observes these FSMs ({@link Probes}): read on every transition, replaced (never changed) under a lock. */
    private volatile FsmTypeProbe[] observers = new FsmTypeProbe[0];
    private final Map<FsmProbe, FsmTypeProbe> observersByProbe = new LinkedHashMap<>();
    /** The facade (or its engine) of this type, for the probes; set once it is ready. */
    private volatile FsmSupervisor<?> supervisor;
    /** The type name pinned for the supervisor id, read from the journal when the facade is created. */
    private volatile CompletionStage<String> typeName;
    private final ActorSystem<?> system;

    public FsmType(ActorSystem<?> system, String supervisorId, Class<?> type, FsmSettings settings,
                   PayloadVerifier payloads) {
        this.events = Adapter.toClassic(system).getEventStream();
        this.system = system;
        this.typeName = TypePins.resolve(system, settings, supervisorId, type);
        this.supervisorId = Objects.requireNonNull(supervisorId, "supervisorId");
        this.type = Objects.requireNonNull(type, "type");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.payloadCheck = payload -> payloads.verify(payload, "payload");
        // not logged by Pekko (an ERROR with a stack trace per FSM and attempt): StoreOutage reports journal failures
        this.restartBackoff = SupervisorStrategy.restartWithBackoff(settings.restartMinBackoff(),
                settings.restartMaxBackoff(), settings.restartRandomFactor()).withLoggingEnabled(false);
        this.outage = StoreOutage.of(system, settings);
    }

    /** Whether the journal of these FSMs is unavailable on this node (shared by every type on the same stores). */
    public StoreOutage outage() {
        return outage;
    }

    /** The check of the payloads FSMs persist (one shared instance: FSMs are many). */
    public Consumer<Object> payloadCheck() {
        return payloadCheck;
    }

    /** How an FSM restarts after a journal failure (one shared instance: FSMs are many). */
    public BackoffSupervisorStrategy restartBackoff() {
        return restartBackoff;
    }

    /** The ActorSystem's event stream, where FSMs publish their transitions and failures. */
    public EventStream events() {
        return events;
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

    public boolean removeListener(FsmListener<?> listener) {
        return listeners.remove(listener);
    }

    private volatile Set<String> internalEvents = Set.of();
    /** Set once the definition and the internal events are both known, after them. */
    private volatile boolean known;

    /** The definition of this facade's FSM type, once known (null before). */
    public FsmDefinition definition() {
        return definition.get();
    }

    /**
     * Learns the FSM type's definition, its internal events and its declared listeners ({@code listeners()}, asked
     * only here): the first ones learnt stay.
     */
    public void learn(FsmDefinition learnt, Set<String> internal,
                      java.util.function.Supplier<List<? extends FsmListener<?>>> declared) {
        if (learnt != null && definition.compareAndSet(null, learnt)) {
            internalEvents = Set.copyOf(internal);
            declared.get().forEach(this::addListener);
            known = true;
        }
    }

    /** Whether the definition and the internal events are known (they never change after). */
    public boolean learnt() {
        return known;
    }

    /** The events only the FSMs themselves may fire ({@code internalEvents()}), once known (empty before). */
    public Set<String> internalEvents() {
        return internalEvents;
    }

    /** Why a client may not send {@code event}: it is internal to this FSM type. */
    public String internalRefused(String event) {
        return "event '" + event + "' is internal to " + type.getSimpleName() + " (internalEvents()): only the FSM's "
                + "own timer and delays fire it, a client cannot send it";
    }

    /**
     * The persistence id of the FSM {@code name}: {@code fsm|<supervisor id>|<pinned type name>|<name>}. Waits for
     * the pin (an FSM actor, on its virtual thread) if the journal has not answered yet.
     *
     * @throws IllegalStateException if the pin could not be read within the ask timeout
     */
    public String persistenceId(String name) {
        return PersistenceIds.of(supervisorId, TypePins.await(typeName(), settings.askTimeout()), name);
    }

    /** The running FSMs of this type on this node, by state (what {@code countByState} and {@code find} read). */
    public StateIndex index() {
        return index;
    }

    // ---- probes (FsmProbes) ----

    void supervisor(FsmSupervisor<?> ready) {
        this.supervisor = ready;
    }

    /** The supervisor of this type on this node, once created (null before). */
    FsmSupervisor<?> facade() {
        return supervisor;
    }

    synchronized void observe(FsmProbe probe) {
        FsmTypeProbe observer;
        try {
            observer = Objects.requireNonNull(probe.observe(info()), "FsmProbe.observe returned null");
        } catch (RuntimeException e) {
            LOG.warn("FsmProbe {} failed to observe supervisor '{}': {}", probe, supervisorId, e.toString());
            return;
        }
        if (observer != FsmTypeProbe.NONE) {
            observersByProbe.put(probe, observer);
            observers = observersByProbe.values().toArray(FsmTypeProbe[]::new);
        }
    }

    synchronized void forget(FsmProbe probe) {
        if (observersByProbe.remove(probe) != null) {
            observers = observersByProbe.values().toArray(FsmTypeProbe[]::new);
        }
    }

    /** When a transition began, for {@link #transitioned}: {@code System.nanoTime()}, or 0 when nothing observes. */
    public long transitionStart() {
        return observers.length == 0 ? 0 : System.nanoTime();
    }

    /** Tells the observers of a committed transition that began at {@code started} ({@link #transitionStart}). */
    public void transitioned(String from, String event, String to, long started) {
        if (started == 0) {
            return;
        }
        long nanos = System.nanoTime() - started;
        for (FsmTypeProbe observer : observers) {
            try {
                observer.transitioned(from, event, to, nanos);
            } catch (RuntimeException e) {
                LOG.warn("an FsmTypeProbe of supervisor '{}' threw: {}", supervisorId, e.toString());
            }
        }
    }

    /** Tells the observers of a failure recorded as an FSM's last error. */
    public void failed(FsmError error) {
        for (FsmTypeProbe observer : observers) {
            try {
                observer.failed(error);
            } catch (RuntimeException e) {
                LOG.warn("an FsmTypeProbe of supervisor '{}' threw: {}", supervisorId, e.toString());
            }
        }
    }

    private FsmSupervisorInfo info() {
        return new FsmSupervisorInfo() {
            @Override
            public String id() {
                return supervisorId;
            }

            @Override
            public FsmDefinition definition() {
                return FsmType.this.definition();
            }

            @Override
            public FsmSupervisor<?> supervisor() {
                return supervisor;
            }

            @Override
            public long countOnThisNode(String state) {
                return index.count(state);
            }

            @Override
            public Map<String, Long> countByStateOnThisNode() {
                return index.countByState();
            }

            @Override
            public String toString() {
                return "supervisor '" + supervisorId + "'";
            }
        };
    }

    /**
     * The pinned type name; read again if the last read failed (the journal was slow or down when the facade was
     * created: a failed read is not remembered for ever).
     */
    private CompletionStage<String> typeName() {
        CompletionStage<String> current = typeName;
        if (!current.toCompletableFuture().isCompletedExceptionally()) {
            return current;
        }
        synchronized (this) {
            if (typeName == current) {
                typeName = TypePins.resolve(system, settings, supervisorId, type);
            }
            return typeName;
        }
    }

    /** As {@link #persistenceId}, without waiting: completes once the pin is read. */
    public CompletionStage<String> persistenceIdAsync(String name) {
        return typeName().thenApply(pinned -> PersistenceIds.of(supervisorId, pinned, name));
    }

    /** A persistence id for the detached instance that only reads the definition: it never touches the journal. */
    public String probePersistenceId(String name) {
        return PersistenceIds.of(supervisorId, type, name);
    }
}
