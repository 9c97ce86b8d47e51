package dev.finitomata.sharding;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.FsmRuntimeContract;
import dev.finitomata.PersistFailureContract;
import dev.finitomata.RuntimeHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

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

        /** See {@link FsmRuntimeContract#censusWhilePassivating}. */
        @Test
        void aCensusCountsEveryFsmWhileItsActorsPassivateAndAreWoken() {
            censusWhilePassivating(((Infinitomata<?>) fsms)::passivations);
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
