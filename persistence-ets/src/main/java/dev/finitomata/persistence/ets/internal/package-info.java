/** INTERNAL API. The ETS journal and snapshot store: the JVM-wide tables and their logs. */
package dev.finitomata.persistence.ets.internal;
