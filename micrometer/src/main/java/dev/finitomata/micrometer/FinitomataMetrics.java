package dev.finitomata.micrometer;

import dev.finitomata.FsmError;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.definition.FsmTransition;
import dev.finitomata.spi.FsmProbe;
import dev.finitomata.spi.FsmProbes;
import dev.finitomata.spi.FsmSupervisorInfo;
import dev.finitomata.spi.FsmTypeProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Micrometer meters for the FSMs of every supervisor ({@code Finitomata}, {@code Infinitomata}) of one ActorSystem,
 * those created after {@link #bindTo} too:
 * <ul>
 *   <li>{@code finitomata.transitions}: counter of committed transitions; tags {@code fsm.type} (the supervisor id),
 *       {@code from}, {@code event}, {@code to} (every transition of the definition is registered at 0, so edges
 *       never taken show as such);</li>
 *   <li>{@code finitomata.fsms}: gauge of the FSMs running on this node, per {@code fsm.type} and {@code state}
 *       (passivated ones included), equal to {@code countByState()} of a local supervisor;</li>
 *   <li>{@code finitomata.failures}: counter of failures recorded as an FSM's last error; tags {@code fsm.type},
 *       {@code stage} (a {@code FsmError.Stage});</li>
 *   <li>{@code finitomata.transition.duration}: timer of a transition from the moment the FSM takes the event to
 *       its answer (decide, persist, {@code onEnter}); tag {@code fsm.type}. A caller that got its answer finds its
 *       transition counted.</li>
 * </ul>
 * Tags are bounded by the definitions: never an FSM's name. In a cluster each node reports its own FSMs; sum over
 * nodes (for example {@code sum by (fsm_type, state) (finitomata_fsms)} in Prometheus).
 *
 * <pre>{@code
 * new FinitomataMetrics(system).bindTo(registry);
 * }</pre>
 *
 * <p>The meters are updated on the FSMs' own threads (a counter increment and a timer record per transition); the
 * gauges read the supervisors' in-memory state index when the registry is scraped. Thread-safe.
 */
public final class FinitomataMetrics implements MeterBinder, AutoCloseable {

    private final ActorSystem<?> system;
    private final List<FsmProbe> bound = new CopyOnWriteArrayList<>();

    /**
     * Meters for the supervisors of {@code system}; nothing is observed until {@link #bindTo}.
     *
     * @throws NullPointerException if {@code system} is null
     */
    public FinitomataMetrics(ActorSystem<?> system) {
        this.system = Objects.requireNonNull(system, "system");
    }

    /**
     * Registers the meters of every supervisor of the system in {@code registry}, now and as supervisors are created.
     * Binding to several registries registers in each.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        FsmProbe probe = supervisor -> new TypeMeters(registry, supervisor);
        bound.add(probe);
        FsmProbes.add(system, probe);
    }

    /** Stops updating the meters (they stay registered, with their last values; gauges keep reading). */
    @Override
    public void close() {
        for (FsmProbe probe : bound) {
            FsmProbes.remove(system, probe);
        }
        bound.clear();
    }

    /** The meters of one supervisor in one registry. */
    private static final class TypeMeters implements FsmTypeProbe {
        private final MeterRegistry registry;
        private final Tags type;
        /** from → event → to → counter: three lookups, no allocation, on every transition. */
        private final Map<String, Map<String, Map<String, Counter>>> transitions = new ConcurrentHashMap<>();
        private final Map<FsmError.Stage, Counter> failures = new EnumMap<>(FsmError.Stage.class);
        private final Timer duration;

        TypeMeters(MeterRegistry registry, FsmSupervisorInfo supervisor) {
            this.registry = registry;
            this.type = Tags.of("fsm.type", supervisor.id());
            FsmDefinition definition = supervisor.definition();
            for (FsmTransition t : definition.transitions()) {
                counter(t.from(), t.event(), t.to());
            }
            for (String state : definition.states()) {
                Gauge.builder("finitomata.fsms", supervisor, s -> s.countOnThisNode(state))
                        .description("FSMs running on this node, per state").tags(type).tag("state", state)
                        .strongReference(true).register(registry);
            }
            for (FsmError.Stage stage : FsmError.Stage.values()) {
                failures.put(stage, Counter.builder("finitomata.failures")
                        .description("failures recorded as an FSM's last error, per stage").tags(type)
                        .tag("stage", stage.name()).register(registry));
            }
            this.duration = Timer.builder("finitomata.transition.duration")
                    .description("from taking an event to answering it: decide, persist, onEnter").tags(type)
                    .register(registry);
        }

        private Counter counter(String from, String event, String to) {
            return transitions.computeIfAbsent(from, f -> new ConcurrentHashMap<>())
                    .computeIfAbsent(event, e -> new ConcurrentHashMap<>())
                    .computeIfAbsent(to, t -> Counter.builder("finitomata.transitions")
                            .description("committed transitions").tags(type)
                            .tags("from", from, "event", event, "to", to).register(registry));
        }

        @Override
        public void transitioned(String from, String event, String to, long nanos) {
            Map<String, Map<String, Counter>> byEvent = transitions.get(from);
            Map<String, Counter> byTarget = byEvent == null ? null : byEvent.get(event);
            Counter counter = byTarget == null ? null : byTarget.get(to);
            (counter != null ? counter : counter(from, event, to)).increment();
            duration.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void failed(FsmError error) {
            failures.get(error.stage()).increment();
        }
    }
}
