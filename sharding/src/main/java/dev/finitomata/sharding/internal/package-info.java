/**
 * INTERNAL API. Cluster hosting: the gate in front of each sharded FSM, its host strategy and messages, the census
 * behind {@code all()} and {@code count()}, the node registry, and the ring allocation strategy.
 */
package dev.finitomata.sharding.internal;
