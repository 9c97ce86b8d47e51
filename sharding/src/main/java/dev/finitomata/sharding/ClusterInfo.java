package dev.finitomata.sharding;

import java.util.List;
import org.apache.pekko.actor.Address;

/**
 * Where FSMs live in the cluster (Finitomata's {@code ClusterInfo}): the nodes that may host them and the node an FSM
 * belongs on. {@link Infinitomata} places shards with it, through its own shard allocation strategy. The default,
 * {@link ConsistentHashClusterInfo}, uses a consistent hash ring over the nodes, so that a membership change moves few
 * FSMs. Implementations must be thread-safe and deterministic: every node must compute the same answer.
 */
public interface ClusterInfo {

    /** The nodes that may host FSMs now (by default: the cluster members that are Up), sorted. */
    List<Address> nodes();

    /** The node that should host shard {@code shardId}, chosen among {@code candidates} (never empty). */
    Address shardOwner(String shardId, List<Address> candidates);

    /** The node the FSM {@code name} belongs on, among {@link #nodes()}. */
    Address whois(String name);
}
