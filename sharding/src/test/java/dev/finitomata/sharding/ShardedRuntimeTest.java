package dev.finitomata.sharding;

import com.typesafe.config.Config;
import dev.finitomata.FsmRuntimeContract;
import dev.finitomata.PersistFailureContract;
import dev.finitomata.RuntimeHost;
import org.junit.jupiter.api.Nested;

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
