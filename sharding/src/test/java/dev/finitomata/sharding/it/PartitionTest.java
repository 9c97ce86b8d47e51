package dev.finitomata.sharding.it;

import static dev.finitomata.sharding.it.ClusterProbes.answerAgain;
import static dev.finitomata.sharding.it.ClusterProbes.await;
import static dev.finitomata.sharding.it.ClusterProbes.eventually;
import static dev.finitomata.sharding.it.ClusterProbes.firstMedianLast;
import static dev.finitomata.sharding.it.ClusterProbes.forAll;
import static dev.finitomata.sharding.it.ClusterProbes.forAllCounting;
import static dev.finitomata.sharding.it.ClusterProbes.locatedOn;
import static dev.finitomata.sharding.it.ClusterProbes.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.persistence.jdbc.EmbeddedPg;
import dev.finitomata.sharding.Infinitomata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A network partition across processes: three node JVMs and the client, each on a loopback address of its own behind
 * a {@link PartitionProxy}, share a real PostgreSQL (which every node keeps reaching). Under load, node 3 is cut off
 * from the others in both directions. The split brain resolver must down it (it leaves and its JVM exits) and its
 * FSMs must come back on the majority within the failover budget; no FSM may ever run on both sides, which the
 * journal shows (no sequence number refused as a duplicate, no gap, no writer interleaved with another); then the
 * network heals, node 3 is started again as an operator would, it rejoins, and nothing acknowledged is lost.
 */
@NodeProcessTest
class PartitionTest {

    private static final int FSMS = 300;
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private ProxiedCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theCutOffNodeIsDownedItsFsmsMoveAndNoFsmEverRunsOnBothSides() throws Exception {
        EmbeddedPg pg = EmbeddedPg.shared();
        String jdbcUrl = pg.url(pg.freshDatabase("partition_it"));
        cluster = new ProxiedCluster(Path.of("target", "partition-it"), jdbcUrl, 21).start();
        Infinitomata<LoadFsm.Load> fsms = cluster.fsms();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FSMS; i++) {
            names.add("fsm-" + i);
        }
        List<String> delayed = names.stream().filter(n -> Integer.parseInt(n.substring(4)) % 10 == 3).toList();
        forAllCounting(names, n -> fsms.start(n, new LoadFsm.Load(0, 0, 0, false)));
        forAll(names, n -> fsms.transitionAndWait(n, "start", null));
        delayed.forEach(n -> fsms.transition(n, "delayed", null, Duration.ofSeconds(15))); // due after the cut
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        forAll(names, n -> fsms.transitionAndWait(n, "work", null)
                .thenApply(s -> acknowledged.merge(n, s.payload().works(), Math::max)));

        NodeProcess cutOff = cluster.node(2);
        List<String> onCutOff = locatedOn(fsms, names, cutOff.address());
        assertFalse(onCutOff.isEmpty(), "some FSMs live on node 3");
        WorkLoad load = new WorkLoad(fsms, names, acknowledged);
        sleep(1_000);

        // ---- cut node 3 off, both ways: nobody reaches it, it reaches nobody (but the database) ----
        long cutAt = System.nanoTime();
        cluster.cut(2);
        List<Double> answered = answerAgain(fsms, onCutOff, cutAt, PATIENCE, () -> { });
        System.out.printf("partition: node 3's %d FSMs answered from the majority after %s (first, median, last)%n",
                onCutOff.size(), firstMedianLast(answered));
        double budget = 10 + ConfigFactory.load().getDuration("pekko.cluster.split-brain-resolver.stable-after")
                .toMillis() / 1000.0;
        assertTrue(answered.get(answered.size() - 1) <= budget, "back within " + budget + " s of the cut");
        eventually(Duration.ofSeconds(60), () -> !cutOff.alive(), "node 3 downed itself and its JVM exited");
        System.out.printf("node 3's JVM exited %.1f s after the cut%n", (System.nanoTime() - cutAt) / 1e9);
        eventually(PATIENCE, () -> await(fsms.count()) == FSMS, "every FSM runs on the majority");

        // ---- heal, and start node 3 again (an operator's restart): it rejoins ----
        cluster.heal();
        cluster.restart(2);
        load.close();
        eventually(PATIENCE, () -> await(fsms.count()) == FSMS, "every FSM runs once node 3 is back");
        // the delays fell due after the cut: each fired exactly once, wherever its FSM was
        eventually(PATIENCE, () -> delayed.stream().allMatch(n -> await(fsms.state(n)).orElseThrow().payload()
                .delayed() == 1), "every delayed transition fired");
        Map<String, Integer> lost = new HashMap<>();
        for (String n : names) {
            LoadFsm.Load now = await(fsms.state(n)).orElseThrow().payload();
            if (now.works() < acknowledged.getOrDefault(n, 0)) {
                lost.put(n, acknowledged.get(n) - now.works());
            }
            assertTrue(now.delayed() <= 1, n + " fired its delay " + now.delayed() + " times");
        }
        assertEquals(Map.of(), lost, "acknowledged transitions lost, per FSM");

        // ---- no FSM ever ran on both sides: the journal and the logs say so ----
        JournalCheck.Verdict journal = JournalCheck.check(jdbcUrl);
        System.out.println("journal: " + journal + "; " + load.sent() + " transitions sent during the test");
        assertEquals(List.of(), journal.problems());
        assertEquals(FSMS, journal.fsms(), "every FSM has a journal");
        assertEquals(List.of(), cluster.linesWith("duplicate key"), "writes refused as duplicates");
        assertEquals(List.of(), cluster.errors().stream().limit(5).toList(), "ERROR lines in the nodes' logs");
    }
}
