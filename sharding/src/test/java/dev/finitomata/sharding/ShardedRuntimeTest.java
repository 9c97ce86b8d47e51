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

    @Nested
    class OneNode extends FsmRuntimeContract {
        @Override
        protected Config persistenceConfig() {
            return ClusterHost.config("sharded-one-" + System.nanoTime(), null);
        }

        @Override
        protected RuntimeHost createHost(Config config) {
            return new ClusterHost(1, config);
        }
    }

    @Nested
    class ThreeNodes extends FsmRuntimeContract {
        @Override
        protected Config persistenceConfig() {
            return ClusterHost.config("sharded-three-" + System.nanoTime(), null);
        }

        @Override
        protected RuntimeHost createHost(Config config) {
            return new ClusterHost(3, config);
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
