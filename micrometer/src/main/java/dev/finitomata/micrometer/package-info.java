/**
 * Micrometer meters for Finitomata: {@link dev.finitomata.micrometer.FinitomataMetrics} binds the FSMs of every
 * supervisor of an ActorSystem to a {@code MeterRegistry}. The meters and how to scrape them with Prometheus are in
 * docs/operations.md.
 */
package dev.finitomata.micrometer;
