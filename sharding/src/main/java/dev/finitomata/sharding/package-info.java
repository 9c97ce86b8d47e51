/**
 * FSMs over a Pekko cluster: {@link dev.finitomata.sharding.Infinitomata}, placed by a
 * {@link dev.finitomata.sharding.ClusterInfo} (default: a {@link dev.finitomata.sharding.ConsistentHashRing}).
 */
package dev.finitomata.sharding;
