/**
 * The ETS store: an in-memory, JVM-wide Pekko journal and snapshot store, see {@link dev.finitomata.persistence.ets.Ets}.
 */
package dev.finitomata.persistence.ets;
