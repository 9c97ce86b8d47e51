package dev.finitomata.sharding.internal;

import dev.finitomata.sharding.ClusterInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.dispatch.Futures;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * INTERNAL API. A shard allocation strategy that places every shard on the region of the node its
 * {@link ClusterInfo} names (by default the owner on a consistent hash ring of the regions' nodes), and rebalances
 * shards that are elsewhere, at most {@code maxMovesPerRound} at a time.
 *
 * <p>It moves nothing while the journal is in doubt on the coordinator's node: with remembered entities, every
 * allocation after a move is written to the coordinator's own journal store, and a write that fails stops the
 * coordinator (Pekko), which then could not allocate any shard until it has recovered after the outage. A rebalance
 * can wait; the shards that must move because their node left are still allocated.
 */
public final class RingAllocationStrategy extends ShardCoordinator.AbstractShardAllocationStrategy
        implements ShardCoordinator.ActorSystemDependentAllocationStrategy {

    private final ClusterInfo info;
    private final int maxMovesPerRound;
    private final BooleanSupplier storeInDoubt;
    private volatile Address self;
    private volatile Cluster cluster;

    /** {@code storeInDoubt}: whether the journal is down or suspected on this node (no rebalance meanwhile). */
    public RingAllocationStrategy(ClusterInfo info, int maxMovesPerRound, BooleanSupplier storeInDoubt) {
        this.info = info;
        this.maxMovesPerRound = maxMovesPerRound;
        this.storeInDoubt = storeInDoubt;
    }

    @Override
    public void start(ActorSystem system) {
        cluster = Cluster.get(system);
        self = cluster.selfAddress();
    }

    /** Regions on members that are Up: a region of a crashed or leaving node is never given or asked for shards. */
    private Map<Address, ActorRef> liveRegions(Map<ActorRef, IndexedSeq<String>> current) {
        Set<Address> up = new HashSet<>();
        cluster.state().getMembers().forEach(m -> {
            if (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp()) {
                up.add(m.address());
            }
        });
        Map<Address, ActorRef> regions = new HashMap<>();
        current.keySet().forEach(region -> {
            Address at = addressOf(region);
            if (up.contains(at)) {
                regions.put(at, region);
            }
        });
        return regions;
    }

    private Address addressOf(ActorRef region) {
        Address address = region.path().address();
        return address.hasGlobalScope() ? address : self;
    }

    @Override
    public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
                                          Map<ActorRef, IndexedSeq<String>> current) {
        Map<Address, ActorRef> regions = liveRegions(current);
        if (regions.isEmpty()) {
            return Futures.successful(requester);
        }
        Address owner = info.shardOwner(shardId, new ArrayList<>(regions.keySet()));
        return Futures.successful(regions.getOrDefault(owner, requester));
    }

    @Override
    public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current, Set<String> inProgress) {
        Map<Address, ActorRef> live = liveRegions(current);
        List<Address> candidates = new ArrayList<>(live.keySet());
        Set<String> moves = new HashSet<>();
        if (candidates.isEmpty() || !inProgress.isEmpty() || live.size() != current.size()
                || storeInDoubt.getAsBoolean()) {
            // while a region is on its way out, the coordinator reallocates its shards itself; while the journal is in
            // doubt, the allocations a move brings would stop the coordinator: move nothing
            return Futures.successful(moves);
        }
        for (Map.Entry<ActorRef, IndexedSeq<String>> region : current.entrySet()) {
            Address at = addressOf(region.getKey());
            scala.collection.Iterator<String> shards = region.getValue().iterator();
            while (shards.hasNext() && moves.size() < maxMovesPerRound) {
                String shard = shards.next();
                if (!info.shardOwner(shard, candidates).equals(at)) {
                    moves.add(shard);
                }
            }
        }
        return Futures.successful(moves);
    }
}
