/**
 * INTERNAL API. Reading what FSMs stored through Pekko Persistence Query: an FSM's history
 * ({@link dev.finitomata.internal.query.Histories}), which read journal serves the configured journal
 * ({@link dev.finitomata.internal.query.ReadJournals}), and the base of the read journals of the ETS and file stores
 * ({@link dev.finitomata.internal.query.PagedReadJournal}).
 */
package dev.finitomata.internal.query;
