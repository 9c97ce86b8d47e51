package dev.finitomata.benchmarks;

import dev.finitomata.persistence.jdbc.CrashablePg;
import dev.finitomata.sharding.it.ChaosScenario;
import dev.finitomata.sharding.it.ProxiedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A long chaos soak ({@link ChaosScenario}): three node JVMs over a crashable PostgreSQL, under load, meet kills,
 * database crashes and partitions at random (seeded) for the given time; prints the fault schedule and the checker's
 * verdict. Arguments: {@code minutes=<n> seed=<n> fsms=<n>} (defaults 30, the time now, 500). Exits 1 on a bad
 * verdict.
 */
public final class ChaosBenchmark {

    private ChaosBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long minutes = 30;
        long seed = System.currentTimeMillis();
        int fsms = 500;
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            switch (kv[0]) {
                case "minutes" -> minutes = Long.parseLong(kv[1]);
                case "seed" -> seed = Long.parseLong(kv[1]);
                case "fsms" -> fsms = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument '" + arg
                        + "': use minutes=<n> seed=<n> fsms=<n>");
            }
        }
        System.out.println(Bench.machine());
        System.out.printf("chaos: %d minutes, seed %d, %d FSMs%n", minutes, seed, fsms);
        ChaosScenario.Verdict verdict;
        try (CrashablePg pg = CrashablePg.start(Path.of("target", "chaos-bench", "pg"));
             ProxiedCluster cluster = new ProxiedCluster(Path.of("target", "chaos-bench"), pg.url(), 41).start()) {
            verdict = new ChaosScenario(cluster, pg, seed, fsms).run(Duration.ofMinutes(minutes), List.of());
        }
        System.out.println(verdict.summary());
        System.exit(verdict.problems().isEmpty() ? 0 : 1);
    }
}
