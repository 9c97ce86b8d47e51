package dev.finitomata;

import java.time.Instant;
import java.util.Objects;

/**
 * One committed transition of an FSM, as {@link FsmSupervisor#history} reads it from the journal; or, with the event
 * {@code "__retry__"} and {@code from} equal to {@code to}, a failed attempt of a hard event that its {@link Retry}
 * policy retries (dated when it failed; its reason is in the next attempt's {@link Retry.Attempt#lastFailure}).
 *
 * @param sequenceNr the journal's sequence number of the event that recorded it (increasing, with gaps where the
 *                   journal holds other marks: timer updates, delays, stops)
 * @param at         when it was committed, by the FSM's clock; for events written before Finitomata 0.2, when the
 *                   journal stored it (or {@link Instant#EPOCH} where the journal does not say)
 * @param from       the state it left; {@code "*"} for the transition that began this life
 * @param event      the event; {@code "__migrate__"} for a migration to a new version ({@code FsmBehavior.migrate})
 * @param to         the state it entered; {@code "*"} for the transition that ended this life
 * @param payload    the payload after the transition
 * @param <P>        the payload type
 */
public record FsmHistoryEntry<P>(long sequenceNr, Instant at, String from, String event, String to, P payload) {

    /** @throws NullPointerException if {@code at}, {@code from}, {@code event} or {@code to} is null */
    public FsmHistoryEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(to, "to");
    }
}
