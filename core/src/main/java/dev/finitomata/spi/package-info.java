/**
 * For integrations, not for applications: how a metrics or tracing module observes the FSMs of an ActorSystem.
 * {@link dev.finitomata.spi.FsmProbes#add} installs an {@link dev.finitomata.spi.FsmProbe}, which is shown every
 * supervisor of the system (those created later too) and returns what observes its FSMs. The
 * {@code finitomata-micrometer} module is built on it; the core itself depends on no metrics library.
 */
package dev.finitomata.spi;
