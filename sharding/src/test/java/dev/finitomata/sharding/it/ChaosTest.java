package dev.finitomata.sharding.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finitomata.persistence.jdbc.CrashablePg;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bounded chaos run ({@link ChaosScenario}), seeded: three node JVMs over a crashable PostgreSQL, under load, meet
 * a partition of a node, a crash of the database and a kill -9 of a node, in an order and at moments the seed
 * chooses, 4-8 s apart within 45 s; the checker must find nothing wrong. {@code -Dbench=Chaos -Dbench.args="minutes=30 seed=..."} runs a
 * long one with faults at random.
 */
@NodeProcessTest
class ChaosTest {

    private CrashablePg pg;
    private ProxiedCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void underKillsOutagesAndPartitionsEveryAcknowledgedTransitionStaysAndNoFsmRunsTwice() throws Exception {
        pg = CrashablePg.start(Path.of("target", "chaos-it", "pg"));
        cluster = new ProxiedCluster(Path.of("target", "chaos-it"), pg.url(), 31).start();
        ChaosScenario.Verdict verdict = new ChaosScenario(cluster, pg, 20261205L, 200).gaps(Duration.ofSeconds(4))
                .run(Duration.ofSeconds(45),
                List.of(ChaosScenario.Kind.PARTITION, ChaosScenario.Kind.DATABASE, ChaosScenario.Kind.KILL));
        System.out.println(verdict.summary());
        assertEquals(3, verdict.faults().size(), verdict.summary());
        assertEquals(List.of(), verdict.problems(), verdict.summary());
    }
}
