package dev.finitomata.internal.protocol;

/**
 * INTERNAL API. Published on the event stream (not persisted): the last error of {@code persistenceId} was cleared by
 * a success or an erasure (the ETS table's {@code lastError} listens).
 */
public record ErrorCleared(String persistenceId) {
}
