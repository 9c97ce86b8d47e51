package dev.finitomata.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.sharding.internal.RingAllocationStrategy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Await;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The allocation strategy moves no shard while the journal is in doubt on the coordinator's node: with remembered
 * entities, the allocations a move brings are written to the coordinator's journal store, and a failed write stops
 * the coordinator (found by the chaos soak, docs/cluster.md section 10). Two members; every shard sits on the first,
 * while the {@link ClusterInfo} places them all on the second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RebalanceInDoubtTest {

    private ClusterHost cluster;

    @BeforeAll
    void cluster() {
        cluster = new ClusterHost(2, ClusterHost.config("rebalance-" + System.nanoTime(), null)
                .withFallback(ConfigFactory.load()));
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void movesNothingWhileTheJournalIsInDoubt() throws Exception {
        ActorSystem<?> first = cluster.systems().get(0);
        ActorSystem<?> second = cluster.systems().get(1);
        Address secondAddress = second.address();
        ClusterInfo allOnTheSecond = new ClusterInfo() {
            @Override
            public List<Address> nodes() {
                return List.of(first.address(), secondAddress);
            }

            @Override
            public Address shardOwner(String shardId, List<Address> candidates) {
                return candidates.contains(secondAddress) ? secondAddress : candidates.get(0);
            }

            @Override
            public Address whois(String name) {
                return secondAddress;
            }
        };
        AtomicBoolean inDoubt = new AtomicBoolean();
        RingAllocationStrategy strategy = new RingAllocationStrategy(allOnTheSecond, 50, inDoubt::get);
        strategy.start(Adapter.toClassic(first));

        ActorRef here = Adapter.toClassic(TestProbe.create(first).ref());
        TestProbe<Object> there = TestProbe.create(second);
        String remote = ActorRefResolver.get(second).toSerializationFormat(there.ref());
        ActorRef thereSeenFromHere = Adapter.toClassic(ActorRefResolver.get(first).resolveActorRef(remote));
        Map<ActorRef, IndexedSeq<String>> current = new HashMap<>();
        current.put(here, CollectionConverters.asScala(List.of("1", "2", "3")).toIndexedSeq());
        current.put(thereSeenFromHere, CollectionConverters.asScala(List.<String>of()).toIndexedSeq());

        assertEquals(Set.of("1", "2", "3"), rebalance(strategy, current), "the shards move to their owner");
        inDoubt.set(true);
        assertEquals(Set.of(), rebalance(strategy, current), "nothing moves while the journal is in doubt");
        inDoubt.set(false);
        assertEquals(Set.of("1", "2", "3"), rebalance(strategy, current), "and they move once it answers again");
    }

    private static Set<String> rebalance(RingAllocationStrategy strategy, Map<ActorRef, IndexedSeq<String>> shards)
            throws Exception {
        return Set.copyOf(Await.result(strategy.rebalance(shards, Set.of()), FiniteDuration.apply(5, TimeUnit.SECONDS)));
    }
}
