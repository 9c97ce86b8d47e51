package dev.finitomata.benchmarks;

import static dev.finitomata.sharding.it.ClusterProbes.answerAgain;
import static dev.finitomata.sharding.it.ClusterProbes.await;
import static dev.finitomata.sharding.it.ClusterProbes.eventually;
import static dev.finitomata.sharding.it.ClusterProbes.firstMedianLast;
import static dev.finitomata.sharding.it.ClusterProbes.forAllCounting;
import static dev.finitomata.sharding.it.ClusterProbes.locatedOn;
import static dev.finitomata.sharding.it.ClusterProbes.misplaced;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.persistence.jdbc.EmbeddedPg;
import dev.finitomata.sharding.Infinitomata;
import dev.finitomata.sharding.it.ClusterProbes;
import dev.finitomata.sharding.it.LoadFsm;
import dev.finitomata.sharding.it.NodeProcess;
import dev.finitomata.sharding.it.RealCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Failover and restart of a real cluster: three node JVMs (the library's defaults) sharing an embedded PostgreSQL
 * (fsync and synchronous commit on), {@code N} FSMs (10,000 by default; a tenth ticking every second, a tenth with a
 * delayed transition pending). Each round kills one node with SIGKILL (the oldest, which hosts the shard
 * coordinators, then a younger one, then the oldest again), times how long each of its FSMs takes to answer from
 * the survivors, and restarts it (it rejoins). Then the whole cluster is killed and restarted, timed until every
 * remembered FSM runs again. ERROR lines in the nodes' logs are counted per phase.
 *
 * <p>Arguments: {@code [fsms] [rounds]}.
 */
public final class ClusterBenchmark {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.println(Bench.machine());
        ConfigFactory.invalidateCaches();
        Config defaults = ConfigFactory.load();
        System.out.printf(Locale.ROOT, "library defaults: %d shards, heartbeat pause %s, SBR stable-after %s, "
                        + "down-removal-margin %s%n", defaults.getInt("pekko.cluster.sharding.number-of-shards"),
                defaults.getString("pekko.cluster.failure-detector.acceptable-heartbeat-pause"),
                defaults.getString("pekko.cluster.split-brain-resolver.stable-after"),
                defaults.getString("pekko.cluster.down-removal-margin") + " (off: SBR uses stable-after)");
        // settings given to this JVM as -Dpekko.* / -Dfinitomata.* go to the nodes too (the client must agree with them)
        List<String> nodeOptions = new ArrayList<>(System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("pekko.") || k.startsWith("finitomata."))
                .map(k -> "-D" + k + "=" + System.getProperty(k)).sorted().toList());
        // raw JVM options for the nodes (a profiler, say), space-separated; "{node}" becomes the node's port
        String nodeJvm = System.getProperty("bench.node.jvm", "").trim();
        if (!nodeJvm.isEmpty()) {
            nodeOptions.addAll(List.of(nodeJvm.split("\\s+")));
        }
        System.out.println("settings given: " + (nodeOptions.isEmpty() ? "none" : nodeOptions));
        String database = EmbeddedPg.shared().freshDatabase("cluster_bench");
        List<String> rows = new ArrayList<>();
        long startedAt = System.nanoTime();
        try (RealCluster cluster = new RealCluster(3, Path.of("target", "cluster-bench"), database, nodeOptions)) {
            cluster.start();
            rows.add(row("cluster Up (3 node JVMs and the client)", seconds(startedAt), cluster.errors()));
            Infinitomata<LoadFsm.Load> fsms = cluster.fsms();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add("fsm-" + i);
            }
            long loading = System.nanoTime();
            int timedOut = forAllCounting(names, name -> fsms.start(name, new LoadFsm.Load(0, 0, 0,
                    name.hashCode() % 10 == 0)));
            timedOut += forAllCounting(names, name -> fsms.transitionAndWait(name, "start", null)
                    .exceptionallyCompose(e -> fsms.state(name).thenApply(s -> {
                        if (s.orElseThrow().current().equals("working")) {
                            return s.get(); // applied, its answer lost: not to be sent twice
                        }
                        throw new IllegalStateException(e);
                    })));
            names.stream().filter(name -> name.hashCode() % 10 == 1)
                    .forEach(name -> fsms.transition(name, "delayed", null, Duration.ofMinutes(10)));
            double loadRate = 2.0 * n / ((System.nanoTime() - loading) / 1e9);
            eventually(PATIENCE, () -> await(fsms.count()) == n, n + " FSMs running");
            int errors = cluster.errors();
            rows.add(String.format(Locale.ROOT, "| %,d FSMs started and moved once: awaited calls/s, calls that "
                    + "timed out (retried) | %,.0f /s, %d timed out | %d |", n, loadRate, timedOut, errors));
            for (int round = 0; round < rounds; round++) {
                String oldest = ClusterProbes.oldestFsmNode(cluster.client());
                int victimIndex = -1;
                for (int i = 0; i < cluster.nodes().size(); i++) {
                    boolean isOldest = cluster.nodes().get(i).address().equals(oldest);
                    if (round % 2 == 0 ? isOldest : !isOldest) {
                        victimIndex = i;
                        break;
                    }
                }
                NodeProcess victim = cluster.nodes().get(victimIndex);
                List<String> onVictim = locatedOn(fsms, names, victim.address());
                long killedAt = System.nanoTime();
                victim.kill();
                System.out.printf("round %d: %s killed at %s%n", round + 1, victim.label(),
                        java.time.LocalTime.now());
                List<Double> seconds = answerAgain(fsms, onVictim, killedAt, PATIENCE, () -> {
                    int counted = await(fsms.count()); // keeps answering
                    if (counted > n) {
                        throw new AssertionError("counted " + counted);
                    }
                });
                eventually(PATIENCE, () -> await(fsms.count()) == n, "every FSM runs on the survivors");
                if (round == 0 && nodeJvm.contains("StartFlightRecording")) {
                    dumpFlightRecordings(cluster, "failover"); // the survivors' failover
                }
                int afterFailover = cluster.errors();
                rows.add(String.format(Locale.ROOT, "| round %d: kill -9 of %s (%s): its %,d FSMs answer from "
                                + "survivors after (first / median / last) | %s | %d |", round + 1,
                        victim.label(), round % 2 == 0 ? "the oldest" : "a younger node", onVictim.size(),
                        firstMedianLast(seconds), afterFailover - errors));
                long rejoining = System.nanoTime();
                String rejoined = cluster.restartNode(victimIndex).address();
                eventually(PATIENCE, () -> await(fsms.census()).complete() && await(fsms.count()) == n
                        && !locatedOn(fsms, names, rejoined).isEmpty(), "rejoined, and hosting FSMs again");
                double hosting = seconds(rejoining);
                eventually(PATIENCE, () -> misplaced(cluster.client(), fsms, names) == 0, "FSMs settled");
                errors = cluster.errors();
                rows.add(String.format(Locale.ROOT, "| round %d: %s restarted: hosts FSMs again / every FSM on its "
                        + "ring node (rebalance done) | %.1f / %.1f s | %d |", round + 1, victim.label(), hosting,
                        seconds(rejoining), errors - afterFailover));
            }
            cluster.killAll();
            long restarting = System.nanoTime();
            cluster.restart();
            double up = seconds(restarting);
            Infinitomata<LoadFsm.Load> again = cluster.fsms();
            StringBuilder progress = new StringBuilder("FSMs running after the restart (s: count):");
            eventually(PATIENCE, () -> {
                int counted = await(again.count());
                progress.append(String.format(Locale.ROOT, " %.1f: %,d", seconds(restarting), counted));
                return counted == n;
            }, "every remembered FSM runs again");
            System.out.println(progress);
            double running = seconds(restarting);
            int misplacedWhenRunning = misplaced(cluster.client(), again, names);
            List<Double> answering = answerAgain(again, names, restarting, PATIENCE, () -> { });
            eventually(PATIENCE, () -> misplaced(cluster.client(), again, names) == 0, "FSMs settled");
            if (nodeJvm.contains("StartFlightRecording")) {
                dumpFlightRecordings(cluster, "restart");
            }
            rows.add(String.format(Locale.ROOT, "| full restart after kill -9 of all nodes: cluster Up / all %,d "
                            + "remembered FSMs running / all answering / every FSM on its ring node, from the "
                            + "processes' start (FSMs that started elsewhere and moved) | %.1f / %.1f / %.1f / %.1f s "
                            + "(%,d moved) | %d |", n, up, running, answering.get(answering.size() - 1),
                    seconds(restarting), misplacedWhenRunning, cluster.errors() - errors));
        }
        System.out.println();
        System.out.println("## Cluster: 3 node JVMs, PostgreSQL (embedded, synchronous commit), " + n + " FSMs");
        System.out.println("| phase | figure | ERROR lines |");
        System.out.println("|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** Has every live node dump its flight recording to {@code target/<phase>-<node>.jfr}. */
    private static void dumpFlightRecordings(RealCluster cluster, String phase) throws Exception {
        for (NodeProcess node : cluster.nodes()) {
            if (node.alive()) {
                new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(node.pid()), "JFR.dump", "filename=" + Path.of("target",
                        phase + "-" + node.label() + ".jfr").toAbsolutePath()).inheritIO().start().waitFor();
            }
        }
    }

    private static String row(String what, double seconds, int errors) {
        return String.format(Locale.ROOT, "| %s | %.1f s | %d |", what, seconds, errors);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
