package dev.finitomata.sharding;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The default {@link ClusterInfo}: a {@link ConsistentHashRing} over the candidate nodes, each identified by its
 * address. Shards of an FSM name follow Pekko's default extractor: {@code abs(name.hashCode() % numberOfShards)}.
 */
public final class ConsistentHashClusterInfo implements ClusterInfo {

    private static final Comparator<Address> ORDER = Comparator.comparing(Address::toString);

    private final ActorSystem<?> system;
    private final int numberOfShards;
    private final int virtualNodes;
    private final AtomicReference<ConsistentHashRing<Address>> cached = new AtomicReference<>();
    private final String role;

    /**
     * A ring-based placement for {@code system}'s cluster, with {@code virtualNodes} points per node, over the members
     * with the role {@code finitomata.sharding.role} (all members when it is empty).
     */
    public ConsistentHashClusterInfo(ActorSystem<?> system, int numberOfShards, int virtualNodes) {
        this.system = Objects.requireNonNull(system, "system");
        this.numberOfShards = numberOfShards;
        this.virtualNodes = virtualNodes;
        this.role = system.settings().config().getString("finitomata.sharding.role");
    }

    @Override
    public List<Address> nodes() {
        return StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
                .filter(m -> m.status() == MemberStatus.up() && (role.isEmpty() || m.hasRole(role)))
                .map(Member::address).sorted(ORDER).toList();
    }

    @Override
    public Address shardOwner(String shardId, List<Address> candidates) {
        List<Address> sorted = candidates.stream().sorted(ORDER).toList();
        ConsistentHashRing<Address> ring = cached.get();
        if (ring == null || !ring.nodes().equals(java.util.Set.copyOf(sorted))) {
            ring = ConsistentHashRing.of(sorted, Address::toString, virtualNodes);
            cached.set(ring);
        }
        return ring.owner(shardId);
    }

    @Override
    public Address whois(String name) {
        List<Address> nodes = nodes();
        if (nodes.isEmpty()) {
            throw new IllegalStateException("no cluster member is Up yet: join the cluster first");
        }
        return shardOwner(shardOf(name, numberOfShards), nodes);
    }

    /** The shard of an FSM name, as Pekko's default message extractor computes it. */
    public static String shardOf(String name, int numberOfShards) {
        return Integer.toString(Math.abs(name.hashCode() % numberOfShards));
    }
}
