/**
 * INTERNAL API. The messages: {@link dev.finitomata.internal.protocol.Command}s to an FSM actor,
 * {@link dev.finitomata.internal.protocol.Replies}, the persisted {@link dev.finitomata.internal.protocol.Event}s and
 * state ({@link dev.finitomata.internal.protocol.Data}), and how names written by older versions are read
 * ({@link dev.finitomata.internal.protocol.LegacyClassNames}). Class names here are stored in journals.
 */
package dev.finitomata.internal.protocol;
