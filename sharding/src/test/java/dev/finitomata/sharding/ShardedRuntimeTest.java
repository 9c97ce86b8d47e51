package dev.finitomata.sharding;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.FsmRuntimeContract;
import dev.finitomata.PersistFailureContract;
import dev.finitomata.RuntimeHost;
import dev.finitomata.StartResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime contract, unchanged, on {@link Infinitomata}: a one-node and a three-node cluster over the ETS store
 * (serialising everything), and the journal-failure contract on a one-node cluster over Pekko's persistence test kit
 * journal. What differs by nature (which node an FSM reports, where listeners and the event stream see a transition)
 * is answered by the {@link ClusterHost}.
 */
class ShardedRuntimeTest {

    /** The contract on a cluster of {@code size} nodes sharing one ETS table. */
    abstract static class OnCluster extends FsmRuntimeContract {
        private final int size;

        OnCluster(int size) {
            this.size = size;
        }

        @Override
        protected Config persistenceConfig() {
            return ClusterHost.config("sharded-" + size + "-" + System.nanoTime(), null);
        }

        @Override
        protected RuntimeHost createHost(Config config) {
            return new ClusterHost(size, config);
        }
    }

    @Nested
    class OneNode extends OnCluster {
        OneNode() {
            super(1);
        }
    }

    /**
     * The contract on one node whose FSMs passivate after 50 ms without a call, and are woken by their gates 100 ms
     * before a delayed transition or a timer tick: passivation must be invisible to every test of it.
     */
    @Nested
    class Passivating extends OnCluster {
        private long passivations;

        Passivating() {
            super(1);
        }

        @Override
        protected Config persistenceConfig() {
            return ConfigFactory.parseString("""
                    finitomata.passivate-idle-after = 50ms
                    finitomata.wake-ahead = 100ms
                    """).withFallback(super.persistenceConfig());
        }

        @AfterEach
        void countPassivations() {
            passivations += ((Infinitomata<?>) fsms).passivations();
        }

        /**
         * Passivation is invisible to a census too: every FSM counts, and is listed, while its actor passivates, is
         * parked in its shard's register (a journal write) and is woken by a call. Its gate once let it go before the
         * register had it, and a census in between missed it.
         */
        @Test
        void aCensusCountsEveryFsmWhileItsActorsPassivateAndAreWoken() {
            List<String> names = IntStream.range(0, 10).mapToObj(i -> name("census-" + i)).toList();
            for (String n : names) {
                assertEquals(StartResult.STARTED, await(fsms.start(n, new Counter(0))));
                await(fsms.transitionAndWait(n, "start", null));
            }
            Infinitomata<?> sharded = (Infinitomata<?>) fsms;
            long before = sharded.passivations();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int censuses = 0;
            Random random = new Random(26);
            long nextCall = System.nanoTime();
            while (sharded.passivations() - before < 40) {
                assertTrue(System.nanoTime() < deadline, "only " + (sharded.passivations() - before)
                        + " passivations in 30 s");
                if (System.nanoTime() >= nextCall) { // each FSM about every 200 ms: it passivates after 50 ms
                    fsms.transition(names.get(random.nextInt(names.size())), "work", null); // wakes it
                    nextCall += Duration.ofMillis(20).toNanos();
                }
                assertEquals(Set.copyOf(names), await(fsms.all()).keySet(), "census " + censuses);
                assertEquals(names.size(), await(fsms.count()), "census " + censuses);
                assertEquals(Map.of("working", (long) names.size()), await(fsms.countByState()),
                        "census " + censuses);
                censuses++;
            }
            System.out.printf("census while passivating: %d censuses, %d passivations%n", censuses,
                    sharded.passivations() - before);
        }

        /** The contract ran with FSMs passivating under it, not beside it. */
        @AfterAll
        void fsmsPassivatedDuringTheContract() {
            assertTrue(passivations >= 20, "FSM actors passivated " + passivations + " times during the contract");
        }
    }

    @Nested
    class ThreeNodes extends OnCluster {
        ThreeNodes() {
            super(3);
        }
    }

    @Nested
    class JournalFailures extends PersistFailureContract {
        @Override
        protected Config persistenceConfig() {
            return ClusterHost.config(null, super.persistenceConfig());
        }

        @Override
        protected RuntimeHost createHost(Config config) {
            return new ClusterHost(1, config);
        }
    }
}
