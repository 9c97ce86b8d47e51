package dev.finitomata.dashboard.internal;

import dev.finitomata.FsmError;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.spi.FsmProbe;
import dev.finitomata.spi.FsmSupervisorInfo;
import dev.finitomata.spi.FsmTypeProbe;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * INTERNAL API. Every FSM type (supervisor) of one ActorSystem, as a probe sees them: the supervisor to query, its
 * definition, and what happened on this node since the dashboard was installed (transitions taken per edge, failures
 * per stage).
 *
 * <p>Design: a probe ({@code FsmProbes}) is shown every supervisor, those created later too; per transition it does
 * three map lookups and one atomic increment on the FSM's thread.
 */
public final class Catalog implements FsmProbe {

    /** One FSM type. */
    public static final class Type implements FsmTypeProbe {
        private final FsmSupervisorInfo info;
        /** from → event → to → taken. */
        private final Map<String, Map<String, Map<String, AtomicLong>>> edges = new ConcurrentHashMap<>();
        private final Map<FsmError.Stage, AtomicLong> failures = new EnumMap<>(FsmError.Stage.class);

        Type(FsmSupervisorInfo info) {
            this.info = info;
            for (FsmError.Stage stage : FsmError.Stage.values()) {
                failures.put(stage, new AtomicLong());
            }
        }

        public String id() {
            return info.id();
        }

        public FsmSupervisor<?> supervisor() {
            return info.supervisor();
        }

        public FsmDefinition definition() {
            return info.definition();
        }

        /** The edges taken on this node since the dashboard was installed, by {@link #edge} (none taken: absent). */
        public Map<String, Long> edges() {
            Map<String, Long> taken = new TreeMap<>();
            edges.forEach((from, byEvent) -> byEvent.forEach((event, byTarget) -> byTarget.forEach((to, n) ->
                    taken.put(edge(from, event, to), n.get()))));
            return taken;
        }

        /** Failures per stage on this node since the dashboard was installed (stages with none left out). */
        public Map<String, Long> failures() {
            Map<String, Long> counted = new TreeMap<>();
            failures.forEach((stage, n) -> {
                if (n.get() > 0) {
                    counted.put(stage.name(), n.get());
                }
            });
            return counted;
        }

        @Override
        public void transitioned(String from, String event, String to, long nanos) {
            edges.computeIfAbsent(from, f -> new ConcurrentHashMap<>())
                    .computeIfAbsent(event, e -> new ConcurrentHashMap<>())
                    .computeIfAbsent(to, t -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public void failed(FsmError error) {
            failures.get(error.stage()).incrementAndGet();
        }
    }

    private final Map<String, Type> types = new ConcurrentHashMap<>();

    /** The key of an edge in {@link Type#edges()}: state and event names cannot hold a line break. */
    public static String edge(String from, String event, String to) {
        return from + "\n" + event + "\n" + to;
    }

    @Override
    public FsmTypeProbe observe(FsmSupervisorInfo supervisor) {
        Type type = new Type(supervisor);
        types.put(supervisor.id(), type);
        return type;
    }

    /** The types by id, sorted. */
    public Map<String, Type> types() {
        return new TreeMap<>(types);
    }

    public Type type(String id) {
        return types.get(id);
    }
}
