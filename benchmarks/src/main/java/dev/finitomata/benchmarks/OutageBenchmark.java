package dev.finitomata.benchmarks;

import dev.finitomata.persistence.jdbc.CrashablePg;
import dev.finitomata.sharding.it.OutageScenario;
import dev.finitomata.sharding.it.RealCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Database outages on a real cluster: three node JVMs (the library's defaults) share a PostgreSQL that crashes
 * ({@code pg_ctl stop -m immediate}) under load and comes back after each of the given outages, in turn, on the same
 * cluster ({@link OutageScenario}: 1,000 jobs, 100 tickers, 300 jobs taking awaited transitions in a loop, 100 with a
 * delayed transition due during the outage). Prints, per outage, how soon after the database is back every looping
 * FSM wrote again, every due delay fired and every ticker ticked (first / median / last), how the calls during the
 * outage failed and how long the slowest took, the nodes' ERROR and WARN lines, and what was lost.
 *
 * <p>Arguments: {@code [seconds,seconds,...]} (default {@code 5,20,60}).
 */
public final class OutageBenchmark {

    private OutageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Duration> outages = new ArrayList<>();
        for (String s : (args.length > 0 ? args[0] : "5,20,60").split(",")) {
            outages.add(Duration.ofSeconds(Long.parseLong(s.trim())));
        }
        System.out.println(Bench.machine());
        List<String> summaries = new ArrayList<>();
        try (CrashablePg pg = CrashablePg.start(Path.of("target", "outage-bench", "pg"));
             RealCluster cluster = new RealCluster(3, Path.of("target", "outage-bench"), List.of(), pg.url())
                     .start()) {
            OutageScenario scenario = new OutageScenario(cluster, pg, 1_000, 100, 300, 100).prepare();
            for (Duration outage : outages) {
                OutageScenario.Result result = scenario.run(outage, Duration.ofSeconds(180));
                System.out.println(result.summary());
                result.logSample().forEach(l -> System.out.println("  ERROR: " + l));
                summaries.add(result.summary());
                Thread.sleep(5_000); // let the cluster settle between outages
            }
        }
        System.out.println("\n=== all outages ===");
        summaries.forEach(System.out::println);
        System.exit(0);
    }
}
