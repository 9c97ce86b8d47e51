package dev.finitomata.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.FsmLocation;
import dev.finitomata.forks.ApplicantFsm;
import dev.finitomata.forks.DocumentFsm;
import dev.finitomata.sharding.it.ClusterProbes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sub-FSM flows (issue 25, point 3) on {@link Infinitomata}, through a failover: 8 applicants on three nodes each fork
 * three documents; the node hosting some of the applicants is downed while every document is still requested. Once
 * the documents are received, every applicant completes with exactly three, on the survivors.
 */
class ForksClusterTest {

    private ClusterHost host;

    @AfterEach
    void close() {
        if (host != null) {
            host.close();
        }
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T> Optional<T> quickly(CompletionStage<T> stage) {
        try {
            return Optional.ofNullable(stage.toCompletableFuture().get(2, TimeUnit.SECONDS));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Test
    void everyApplicantCollectsItsDocumentsOnceThroughAFailover() {
        host = new ClusterHost(3, ClusterHost.config("forks-" + System.nanoTime(), null)
                .withFallback(ConfigFactory.parseString("finitomata.fork-check-interval = 200ms"))
                .withFallback(ConfigFactory.load()));
        List<Infinitomata<String>> documents = new ArrayList<>();
        List<Infinitomata<ApplicantFsm.Docs>> applicants = new ArrayList<>();
        for (ActorTestKit kit : host.kits()) {
            documents.add(Infinitomata.create(kit.system(), "documents", DocumentFsm.class, DocumentFsm::new));
            applicants.add(Infinitomata.create(kit.system(), "applicants", ApplicantFsm.class, ApplicantFsm::new));
        }
        Infinitomata<ApplicantFsm.Docs> onA = applicants.get(0);
        Infinitomata<String> docsOnA = documents.get(0);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = "applicant-" + i;
            await(onA.start(name, new ApplicantFsm.Docs(List.of())));
            await(onA.transitionAndWait(name, "submit", null));
            names.add(name);
        }
        for (String name : names) {
            for (String kind : ApplicantFsm.KINDS) {
                ClusterProbes.eventually(Duration.ofSeconds(20), () -> quickly(docsOnA.state(name + "-" + kind))
                        .flatMap(s -> s).isPresent(), name + "-" + kind + " runs");
            }
        }
        // the node to down: of the two others, the one that hosts more applicants (placement follows the names)
        Map<String, FsmLocation> all = await(onA.all());
        ActorTestKit nodeC = ClusterHost.busiest(host.kits().subList(1, 3), all.values());
        String cAddress = nodeC.system().address().toString();
        List<String> onC = names.stream().filter(n -> all.get(n).node().equals(cAddress)).toList();
        assertFalse(onC.isEmpty(), "some applicants live on the node to be downed: " + all);
        Cluster.get(host.kits().get(0).system()).manager().tell(new Down(Cluster.get(nodeC.system()).selfMember()
                .address()));
        nodeC.shutdownTestKit();
        for (String name : names) {
            for (String kind : ApplicantFsm.KINDS) {
                String doc = name + "-" + kind;
                // a call that timed out during the failover may have been applied: then the document has ended
                ClusterProbes.eventually(Duration.ofSeconds(60), () -> quickly(docsOnA.state(doc)).map(state ->
                        state.isEmpty() || quickly(docsOnA.transitionAndWait(doc, "receive", null)).isPresent())
                        .orElse(false), doc + " is received");
            }
        }
        for (String name : names) {
            ClusterProbes.eventually(Duration.ofSeconds(60), () -> quickly(onA.state(name)).flatMap(s -> s)
                    .map(s -> s.current().equals("complete")).orElse(false), name + " completes");
            assertEquals(3, await(onA.state(name)).orElseThrow().payload().received().size(), name);
            List<FsmHistoryEntry<ApplicantFsm.Docs>> history = await(onA.history(name));
            assertEquals(3, history.stream().filter(e -> e.event().equals("document_done")).count(),
                    name + (onC.contains(name) ? " (failed over)" : "") + ": each document once");
        }
        System.out.printf("forks: %d applicants collected 3 documents each, %d of them after a failover%n",
                names.size(), onC.size());
    }
}
