package dev.finitomata.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.FsmError;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.RecordingFsm;
import dev.finitomata.StartResult;
import dev.finitomata.internal.runtime.PersistenceIds;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The stuck start (issue 24, point 6) on a three-node cluster: a {@code start} whose journal read keeps failing answers
 * within 1 s with stage {@code START} and the journal's cause, also when the FSM's shard is on another node (the
 * answer crosses the network, serialised). The one-node cluster and the local facade run the same check in
 * {@code PersistFailureContract}. The journal is Pekko's persistence test kit, one per node, failing the reads of the
 * FSM on every node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StuckStartTest {

    private ClusterHost host;
    private FsmSupervisor<Counter> fsms;

    @BeforeAll
    void cluster() {
        Config config = ClusterHost.config(null, PersistenceTestKitPlugin.config()
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.parseString("""
                        pekko.persistence.testkit.events.serialize = on
                        pekko.actor.serialize-messages = off
                        finitomata.ask-timeout = 30s
                        finitomata.restart-backoff.min = 100ms
                        """)))
                .withFallback(ConfigFactory.load());
        host = new ClusterHost(3, config);
        fsms = host.supervisor("stuck-" + System.nanoTime());
    }

    @AfterAll
    void stop() {
        host.close();
    }

    @Test
    void aStartWhoseJournalReadKeepsFailingAnswersAtOnceFromEveryNode() throws Exception {
        List<PersistenceTestKit> journals = host.systems().stream().map(StuckStartTest::journal).toList();
        java.util.Set<String> hosting = new java.util.HashSet<>();
        for (int i = 0; i < 9; i++) {
            String name = "unreadable-" + i;
            String pid = PersistenceIds.of(fsms.id(), RecordingFsm.class, name);
            journals.forEach(j -> j.failNextNReads(pid, 1_000, new IllegalStateException("the disk is on fire")));
            long sent = System.nanoTime();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> fsms.start(name, new Counter(0)).toCompletableFuture().get(10, TimeUnit.SECONDS));
            double took = (System.nanoTime() - sent) / 1e9;
            FsmTransitionException refused = assertInstanceOf(e.getCause());
            assertTrue(took < 1, name + " answered after " + took + " s");
            assertEquals(FsmError.Stage.START, refused.error().stage(), refused.getMessage());
            assertTrue(refused.getMessage().contains("the disk is on fire"), refused.getMessage());
            journals.forEach(PersistenceTestKit::resetPolicy);
            StartResult started = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (started == null && System.nanoTime() < deadline) {
                try {
                    started = fsms.start(name, new Counter(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException stillFailing) {
                    Thread.sleep(50);
                }
            }
            assertEquals(StartResult.STARTED, started, name + ": the start goes through once the journal reads");
            hosting.add(fsms.details(name).toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow().node());
        }
        String self = host.systems().get(0).address().toString();
        assertTrue(hosting.stream().anyMatch(node -> !node.equals(self)), "no FSM was hosted on another node: "
                + hosting);
    }

    private static FsmTransitionException assertInstanceOf(Throwable cause) {
        return org.junit.jupiter.api.Assertions.assertInstanceOf(FsmTransitionException.class, cause);
    }

    private static PersistenceTestKit journal(ActorSystem<?> system) {
        return PersistenceTestKit.create(system);
    }
}
