package dev.finitomata.internal.protocol;

import dev.finitomata.FsmError;
import dev.finitomata.FsmState;
import dev.finitomata.StartResult;
import java.util.List;

/** INTERNAL API. What an FSM actor answers to the {@link Command}s that expect an answer. */
public final class Replies {

    private Replies() {
    }


    /** The answer to {@link Command.Init}: a result, or the failure of the start. */
    public record StartReply(StartResult result, FsmError error) implements FsmSerializable {
    }

    /** The answer to {@link Command.Fire} and {@link Command.Stop}. */
    public sealed interface Reply extends FsmSerializable {
    }

    /** The transition (or stop) was committed. */
    public record Committed(FsmState<?> state) implements Reply {
    }

    /** The transition failed; the FSM stays where it was. */
    public record Failed(FsmError error) implements Reply {
    }

    /** The FSM is not running (never started, finished, stopped, erased); {@code event} was refused or dropped. */
    public record NotRunning(String name, String event) implements Reply {
    }

    /**
     * The answer to {@link Command.GetState}; {@code state} is null when the FSM is not running. {@code error} (else
     * null) says why it could not be read: it must recover from a journal that is unavailable.
     */
    public record StateReply(FsmState<?> state, FsmError error) implements FsmSerializable {
        public StateReply(FsmState<?> state) {
            this(state, null);
        }
    }

    /**
     * The answer to {@link Command.Inspect}: {@code state} is null when the FSM is not running; {@code delays} are its
     * pending delayed transitions; {@code timerIntervalMillis} is 0 when it has no timer.
     */
    public record DetailsReply(FsmState<?> state, String node, List<Event.DelayScheduled> delays,
                               long timerIntervalMillis, long timerDueAtMillis) implements FsmSerializable {

        /** The answer of an FSM that does not run. */
        public static final DetailsReply NOT_RUNNING = new DetailsReply(null, "", List.of(), 0, 0);

        /** Copies {@code delays}. */
        public DetailsReply {
            delays = delays == null ? List.of() : List.copyOf(delays);
        }
    }

    /** The answer to {@link Command.Settle}. */
    public record Settled() implements FsmSerializable {
    }

    /** The answer to {@link Command.IsAlive}. */
    public record AliveReply(boolean alive) implements FsmSerializable {
    }

    /** The answer to {@link Command.Delete}; {@code failure} says why erasing failed, or is null. */
    public record Deleted(String failure) implements FsmSerializable {
    }
}
