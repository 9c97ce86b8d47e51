package dev.finitomata.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Small harness shared by the benchmark programs: machine line, warm-up plus median of several runs, heap
 * measurement after full collections, and a table printer that shows our figure beside the baseline and the ratio.
 */
final class Bench {

    private Bench() {
    }

    /**
     * A fresh directory for a program's journals, deleted when the JVM exits: a run of {@code -Dbench=Durable} writes
     * 0.4-3 GB, {@code -Dbench=Idle} at 1,000,000 FSMs 5 GB, and these used to stay in the temporary directory.
     */
    static Path scratchDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "delete-" + prefix));
        return dir;
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    static String machine() {
        return String.format(Locale.ROOT, "machine: %d cores, JDK %s (%s), max heap %d MiB",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() >> 20);
    }

    /** Quiet Pekko settings for benchmark ActorSystems, over the given overrides. */
    static Config config(String overrides) {
        return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.stdout-loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "dev.finitomata.FsmLoggingFilter"
                pekko.actor.default-dispatcher.executor = "virtual-thread-executor"
                """)).withFallback(ConfigFactory.load());
    }

    /** A quiet benchmark ActorSystem whose FSMs use the ETS journal and snapshot store, over the given overrides. */
    static ActorSystem<Void> etsSystem(String name, String overrides) {
        return Adapter.toTyped(org.apache.pekko.actor.ActorSystem.create(name, config(overrides + """

                pekko.persistence.journal.plugin = "finitomata.persistence.ets.journal"
                pekko.persistence.snapshot-store.plugin = "finitomata.persistence.ets.snapshot-store"
                """)));
    }

    /**
     * Binds {@code FinitomataMetrics} of {@code system} to a Prometheus registry (as an application exposing its
     * meters would), and answers {@code system}.
     */
    static <S extends ActorSystem<?>> S metered(S system) {
        new dev.finitomata.micrometer.FinitomataMetrics(system).bindTo(
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));
        return system;
    }

    /** Runs {@code run} {@code warmups} times unmeasured, then {@code runs} times; answers the median result. */
    static double median(int warmups, int runs, Callable<Double> run) throws Exception {
        for (int i = 0; i < warmups; i++) {
            run.call();
        }
        double[] results = new double[runs];
        for (int i = 0; i < runs; i++) {
            results[i] = run.call();
        }
        Arrays.sort(results);
        return results[runs / 2];
    }

    /**
     * Runs the contenders in turn, {@code warmups} rounds unmeasured and then {@code runs} measured rounds, each
     * round running every contender once, so that none profits alone from JIT warm-up or suffers alone from a heap
     * another left behind; answers each contender's median result, in order.
     */
    @SafeVarargs
    static double[] medians(int warmups, int runs, Callable<Double>... contenders) throws Exception {
        double[][] results = rounds(warmups, runs, contenders);
        double[] medians = new double[contenders.length];
        for (int c = 0; c < contenders.length; c++) {
            medians[c] = median(results[c]);
        }
        return medians;
    }

    /**
     * As {@link #medians}, but answers every measured round: {@code [contender][round]} (prints them too).
     *
     * <p>Each round starts with the next contender, so that none always runs at the same place in a round. The
     * collector's pauses fall where the young generation fills, and with a fixed order they kept falling in the same
     * contender's measurement: in a {@code bursts} run of 42 rounds, Finitomata's measurements held a young
     * collection 40 times, the hand-written behavior's 10 times, though both allocate 10 KB per transition
     * (BENCHMARKS.md, issue 26, fourteenth session). {@code -Dbench.order=fixed} runs them in the same order every
     * round, as before.
     */
    @SafeVarargs
    static double[][] rounds(int warmups, int runs, Callable<Double>... contenders) throws Exception {
        int n = contenders.length;
        int step = "fixed".equals(System.getProperty("bench.order")) ? 0 : 1;
        for (int i = 0; i < warmups; i++) {
            for (int c = 0; c < n; c++) {
                contenders[(c + step * i) % n].call();
            }
        }
        double[][] results = new double[n][runs];
        for (int i = 0; i < runs; i++) {
            for (int c = 0; c < n; c++) { // each round starts with the next contender (see the Javadoc)
                int k = (c + step * (warmups + i)) % n;
                results[k][i] = contenders[k].call();
            }
        }
        StringBuilder line = new StringBuilder("  runs:");
        for (int c = 0; c < contenders.length; c++) {
            line.append(c == 0 ? " " : "; ").append(Arrays.stream(results[c])
                    .mapToObj(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
        }
        System.out.println(line);
        return results;
    }

    /** The median of {@code values} (the upper one of an even count); the array is left as it was. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Used heap after repeated full collections, in bytes. */
    static long usedHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** A table: name | ours | baseline | ratio (ours / baseline, or baseline / ours when lower is better). */
    static final class Table {
        private final String title;
        private final List<String[]> rows = new ArrayList<>();

        Table(String title) {
            this.title = title;
        }

        Table row(String metric, double ours, String baselineName, double baseline, boolean higherIsBetter,
                  String unit) {
            double ratio = higherIsBetter ? ours / baseline : baseline / ours;
            rows.add(new String[] {metric, fmt(ours) + " " + unit, baselineName + ": " + fmt(baseline) + " " + unit,
                    String.format(Locale.ROOT, "%.2fx", ratio)});
            return this;
        }

        Table row(String metric, double ours, String unit) {
            rows.add(new String[] {metric, fmt(ours) + " " + unit, "", ""});
            return this;
        }

        void print() {
            System.out.println();
            System.out.println("## " + title);
            System.out.println(machine());
            System.out.println("| metric | Finitomata | baseline (same run) | ratio (>1 = better) |");
            System.out.println("|---|---|---|---|");
            rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
        }

        private static String fmt(double v) {
            return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
        }
    }
}
