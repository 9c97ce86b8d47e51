package dev.finitomata.dashboard.internal;

import dev.finitomata.FsmSupervisor;
import dev.finitomata.sharding.FsmNode;
import dev.finitomata.sharding.Infinitomata;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * INTERNAL API. The cluster behind an {@code Infinitomata}: its nodes, their FSM and shard counts, whether they are
 * reachable. Loaded only when finitomata-sharding is on the class path (the dashboard's dependency on it is optional),
 * so that a dashboard of local supervisors needs no cluster classes.
 */
final class ClusterView {

    private static final boolean AVAILABLE = available();

    private ClusterView() {
    }

    private static boolean available() {
        try {
            Class.forName("dev.finitomata.sharding.Infinitomata", false, ClusterView.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The nodes of {@code supervisor}'s cluster, or empty when it is not an {@code Infinitomata}. */
    static Optional<CompletionStage<List<FsmNode>>> nodes(FsmSupervisor<?> supervisor) {
        return AVAILABLE && supervisor instanceof Infinitomata<?> sharded ? Optional.of(sharded.nodes())
                : Optional.empty();
    }
}
