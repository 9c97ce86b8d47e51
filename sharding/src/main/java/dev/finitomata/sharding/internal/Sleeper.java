package dev.finitomata.sharding.internal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.finitomata.internal.protocol.FsmSerializable;
import dev.finitomata.internal.protocol.NameArrays;
import java.util.Map;

/**
 * INTERNAL API. A passivated FSM as its shard's {@link SleepRegister} keeps it: its state and since when (epoch
 * milliseconds), when it must be woken ({@code Long.MAX_VALUE}: only by a call), and when its timer's next tick is due
 * (0: no timer). A null state marks a removal in {@link SleepsChanged}.
 */
public record Sleeper(String state, long since, long wakeAt, long timerDueAt) {

    /** One copy of each state's name (read from the journal, each would be a copy of its own). */
    public Sleeper {
        state = state == null ? null : state.intern();
    }

    /** The removal of a name. */
    static final Sleeper GONE = new Sleeper(null, 0, 0, 0);

    /**
     * INTERNAL API. One write of a sleep register ({@code fsm-sleeps|<supervisor id>|<shard>}): each name parked with
     * its {@link Sleeper}, or {@link #GONE}. Also the form of the register's snapshot (every name it holds).
     *
     * <p>Stored as two arrays, {@code names} and {@code sleepers} ({@link NameArrays}: Jackson interns a map's keys);
     * the map form ({@code changes}) that registers written before hold is still read.
     */
    @JsonIgnoreProperties(value = "changes", allowSetters = true)
    public record SleepsChanged(Map<String, Sleeper> changes) implements FsmSerializable {

        /** Reads either form: {@code names} and {@code sleepers}, or the earlier {@code changes}. */
        @JsonCreator
        static SleepsChanged read(@JsonProperty("names") String[] names,
                                  @JsonProperty("sleepers") Sleeper[] sleepers,
                                  @JsonProperty("changes") Map<String, Sleeper> changes) {
            if (names == null) {
                return new SleepsChanged(changes != null ? changes : Map.of());
            }
            return new SleepsChanged(NameArrays.zip("sleep register entry", names,
                    sleepers == null ? 0 : sleepers.length, i -> sleepers[i]));
        }

        /** The names, as written (in the map's order; {@link #sleepers} follows the same order). */
        @JsonProperty("names")
        public String[] names() {
            return NameArrays.names(changes);
        }

        /** The sleepers of {@link #names}, in their order. */
        @JsonProperty("sleepers")
        public Sleeper[] sleepers() {
            return changes.values().toArray(Sleeper[]::new);
        }
    }
}
