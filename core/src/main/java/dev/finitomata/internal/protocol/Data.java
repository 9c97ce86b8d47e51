package dev.finitomata.internal.protocol;

import dev.finitomata.internal.payload.PayloadType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API. The persisted state (the snapshot) of an FSM: {@code current} is null until the FSM is started and
 * {@code "*"} once it finished; {@code history} is newest first; {@code stopped} marks an FSM stopped by
 * {@code stop}; {@code enteredAt} is when it last entered {@code current} (epoch milliseconds; 0 when the journal
 * predates 0.2 and does not say).
 */
public record Data(String current, @PayloadType Object payload,
                   List<String> history, Map<String, Event.DelayScheduled> pending, boolean stopped, int version,
                   long enteredAt)
        implements FsmSerializable {

    /** The state of an FSM that was never started (or was erased). */
    public static final Data EMPTY = new Data(null, null, List.of(), Map.of(), false, 1, 0);

    /** A state with no record of when it was entered. */
    public Data(String current, Object payload, List<String> history, Map<String, Event.DelayScheduled> pending,
                boolean stopped, int version) {
        this(current, payload, history, pending, stopped, version, 0);
    }

    /** Copies the collections; a version below 1 (a snapshot from before versions) is 1. */
    public Data {
        history = history == null ? List.of() : List.copyOf(history);
        pending = pending == null ? Map.of() : Map.copyOf(pending);
        version = Math.max(1, version);
    }

    /** Whether the FSM has a life: started and not finished ({@code "*"}); it may be stopped. */
    public boolean started() {
        return current != null && !current.equals("*");
    }

    /** Whether the FSM runs: started, not finished and not stopped. */
    public boolean running() {
        return started() && !stopped;
    }

    /** The due time of the earliest pending delayed transition (a fork is never due): MAX_VALUE if none. */
    public long earliestDue() {
        long earliest = Long.MAX_VALUE;
        for (Event.DelayScheduled delay : pending.values()) {
            earliest = Math.min(earliest, delay.dueAtMillis());
        }
        return earliest;
    }

    public Data apply(Event event, int historySize) {
        return switch (event) {
            case Event.Transitioned t when t.from().equals("*") ->
                    new Data(t.to(), t.payload(), List.of(), Map.of(), false, t.madeBy(), t.committedAt());
            case Event.Transitioned t when t.to().equals("*") ->
                    new Data("*", t.payload(), push(t.from(), historySize), Map.of(), false, t.madeBy(),
                            t.committedAt());
            case Event.Transitioned t ->
                    new Data(t.to(), t.payload(), push(t.from(), historySize), pending, stopped, t.madeBy(),
                            t.committedAt());
            case Event.Migrated m -> new Data(m.to(), m.payload(), history, pending, stopped, m.toVersion(),
                    enteredAt);
            case Event.PayloadUpdated u -> new Data(current, u.payload(), history, pending, stopped, version,
                    enteredAt);
            case Event.DelayScheduled d -> {
                Map<String, Event.DelayScheduled> next = new HashMap<>(pending);
                next.put(d.id(), d);
                yield new Data(current, payload, history, next, stopped, version, enteredAt);
            }
            case Event.DelayDone d -> {
                Map<String, Event.DelayScheduled> next = new HashMap<>(pending);
                next.remove(d.id());
                yield new Data(current, payload, history, next, stopped, version, enteredAt);
            }
            case Event.Stopped s -> new Data(current, payload, history, pending, true, version, enteredAt);
            case Event.Resumed r -> new Data(current, payload, history, pending, false, version, enteredAt);
            case Event.Erased e -> EMPTY;
        };
    }

    private List<String> push(String from, int historySize) {
        if (historySize <= 0) {
            return history;
        }
        List<String> next = new ArrayList<>(Math.min(historySize, history.size() + 1));
        next.add(from);
        for (int i = 0; i < history.size() && next.size() < historySize; i++) {
            next.add(history.get(i));
        }
        return next;
    }
}
