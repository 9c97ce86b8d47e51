package dev.finitomata.benchmarks;

import static dev.finitomata.benchmarks.IdleBenchmark.SOON;
import static dev.finitomata.benchmarks.IdleBenchmark.row;
import static dev.finitomata.benchmarks.IdleBenchmark.throttled;

import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.persistence.jdbc.EmbeddedPg;
import dev.finitomata.sharding.ConsistentHashClusterInfo;
import dev.finitomata.sharding.Infinitomata;
import dev.finitomata.sharding.it.ClusterNode;
import dev.finitomata.sharding.it.ClusterProbes;
import dev.finitomata.sharding.it.LoadFsm;
import dev.finitomata.sharding.it.NodeProcess;
import dev.finitomata.sharding.it.RealCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Issue 26, point 6, on a real cluster: three node JVMs (the library's defaults, {@code -Xmx3g} each) sharing the
 * embedded PostgreSQL through pekko-persistence-jdbc, with {@code finitomata.passivate-idle-after} (2 s). N stored
 * FSMs ({@code LoadFsm}, started, each with its own delayed transition due in an hour), then: the live heap the nodes
 * hold per FSM once they are parked (jcmd's class histogram of each node, which collects first, less the same before
 * the FSMs), disk per FSM (the database's size), the start rate (three awaited calls per FSM), touching a random idle
 * FSM, the lateness of 1,000 delays due during the run, and a full restart (every node killed with SIGKILL): how long
 * until the cluster serves and counts every FSM, and whether the 1,000 delays that fell due while it was down fire
 * without any start.
 *
 * <p>Arguments: {@code [N] [passivate=2s] [histogram]} (default 100,000; {@code histogram} prints the classes whose
 * live heap grew most, per stored FSM).
 */
public final class IdlePgBenchmark {

    /** Calls in flight: three node JVMs and PostgreSQL share the 2 cores with this client. */
    private static final int IN_FLIGHT = 300;

    private IdlePgBenchmark() {
    }

    public static void main(String[] args) {
        IdleBenchmark.exitAfter(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String passivate = IdleBenchmark.passivateArg(args);
        System.out.println(Bench.machine());
        String database = EmbeddedPg.shared().freshDatabase("idle_pg");
        Path logs = Files.createTempDirectory("finitomata-idle-pg");
        List<String[]> rows = new ArrayList<>();
        try (RealCluster cluster = new RealCluster(3, logs, database,
                List.of("-Dfinitomata.passivate-idle-after=" + passivate, "-Xmx3g")).start()) {
            Infinitomata<LoadFsm.Load> fsms = cluster.fsms();
            // the first calls wait for the coordinator to allocate the shards: retried until they answer
            ClusterProbes.forAllCounting(List.of("warm-up"), name -> fsms.alive(name));
            Map<String, Long> before = liveHeap(cluster);
            long heapBefore = before.get("Total") - before.getOrDefault(FILLER, 0L);
            int rest = n - 2 * SOON;
            long t0 = System.nanoTime();
            throttled(rest, IN_FLIGHT, i -> place(fsms, "o" + i, Duration.ofHours(1)));
            double rate = rest / ((System.nanoTime() - t0) / 1e9);
            rows.add(row("FSMs started/s (start, a transition, one that schedules the delay: awaited, 300 in "
                    + "flight)", String.format("%,.0f /s", rate), "n/a"));
            Map<String, Long> soonDue = new ConcurrentHashMap<>();
            throttled(SOON, IN_FLIGHT, i -> place(fsms, "soon" + i, Duration.ofSeconds(30)).thenCompose(x ->
                    fsms.details("soon" + i)).thenAccept(d -> soonDue.put("soon" + i,
                    d.orElseThrow().delays().get(0).dueAt().toEpochMilli())));
            long parkedAfter = awaitParked(cluster, fsms, rest);
            System.out.printf("  the sampled FSMs were parked %,d ms after the last start%n", parkedAfter);
            Map<String, Long> parked = liveHeap(cluster);
            long heap = parked.get("Total") - parked.getOrDefault(FILLER, 0L);
            printGrowth(args, before, parked, rest + SOON);
            rows.add(row("heap per stored idle FSM with a pending delay, parked (the three nodes' live objects, less "
                    + "before)", String.format("%,d B", (heap - heapBefore) / (rest + SOON)), "<= 600 B"));
            rows.add(row("and the collector's filler arrays (dead space the histogram lists), per FSM", String.format(
                    "%,d B", (parked.getOrDefault(FILLER, 0L) - before.getOrDefault(FILLER, 0L)) / (rest + SOON)),
                    "n/a"));
            long listing = System.nanoTime();
            int listed = fsms.all().toCompletableFuture().get().size();
            rows.add(row("all(): every running FSM and its node, gathered from the three nodes (names in parts)",
                    String.format("%,d of %,d in %,d ms", listed, rest + SOON,
                            (System.nanoTime() - listing) / 1_000_000),
                    "all of them"));
            long[] touch = touch(fsms, rest, 2_000);
            rows.add(row("touching a random idle FSM (state), which wakes it from PostgreSQL, p50 / p99",
                    String.format("%.2f / %.2f ms", touch[0] / 1e6, touch[1] / 1e6), "p99 <= 20 ms"));
            List<Long> late = lateness(fsms, soonDue, Duration.ofSeconds(90));
            rows.add(row("delays due during the run (1,000 within a second, parked until woken): fired, lateness "
                    + "p50 / max", IdleBenchmark.latenessOf(late), "<= 1 s"));
            rows.add(row("disk per FSM (the database, all tables and indexes)", String.format("%,d B",
                    databaseSize(database) / n), "n/a"));

            Map<String, Long> downDue = new ConcurrentHashMap<>();
            throttled(SOON, IN_FLIGHT, i -> place(fsms, "down" + i, Duration.ofSeconds(20)).thenCompose(x ->
                    fsms.details("down" + i)).thenAccept(d -> downDue.put("down" + i,
                    d.orElseThrow().delays().get(0).dueAt().toEpochMilli())));
            cluster.killAll();
            long lastDue = downDue.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            Thread.sleep(Math.max(0, lastDue + 1_000 - System.currentTimeMillis()));
            long restart = System.nanoTime();
            cluster.restart();
            Infinitomata<LoadFsm.Load> again = cluster.fsms();
            double processes = (System.nanoTime() - restart) / 1e9;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (true) { // the first calls after a restart wait for the shards to be allocated: asked again
                try {
                    again.state("o" + ThreadLocalRandom.current().nextInt(rest)).toCompletableFuture().get();
                    break;
                } catch (java.util.concurrent.ExecutionException timedOut) {
                    if (System.nanoTime() > deadline) {
                        throw timedOut;
                    }
                }
            }
            double serves = (System.nanoTime() - restart) / 1e9;
            while (again.count().toCompletableFuture().get() < n) {
                Thread.sleep(500);
            }
            double counted = (System.nanoTime() - restart) / 1e9;
            rows.add(row("full restart (kill -9 of every node): the nodes up and joined / a random FSM answers / "
                    + "count() is N again", String.format("%.1f / %.1f / %.1f s", processes, serves, counted),
                    "serving within 30 s"));
            List<Long> unstarted = lateness(again, downDue, Duration.ofSeconds(90));
            rows.add(row("delays due while every node was down, fired without a start (lateness from their due "
                    + "time)", IdleBenchmark.latenessOf(unstarted), "all"));
            long twice = 0;
            for (String name : downDue.keySet()) {
                twice += Math.max(0, fired(again, name) - 1);
            }
            rows.add(row("'down' delays fired more than once", String.format("%,d", twice), "0"));
            System.out.println("  ERROR lines in the nodes' logs: " + cluster.errorCounts());
        }
        IdleBenchmark.printTable(String.format("Idle FSMs on 3 node JVMs sharing PostgreSQL: %,d stored FSMs, each "
                + "with a pending delay; passivate-idle-after = %s", n, passivate), rows);
    }

    /** Starts {@code name}, moves it to working, and has it schedule its own delayed transition after {@code in}. */
    private static CompletableFuture<?> place(Infinitomata<LoadFsm.Load> fsms, String name, Duration in) {
        return fsms.start(name, new LoadFsm.Load(0, 0, 0, false))
                .thenCompose(r -> fsms.transitionAndWait(name, "start", null))
                .thenCompose(s -> fsms.transitionAndWait(name, "work", in)).toCompletableFuture();
    }

    /**
     * Waits until 200 sampled FSMs of o0..o(among - 1) are parked (their gates gone); answers how long it took.
     */
    private static long awaitParked(RealCluster cluster, Infinitomata<LoadFsm.Load> fsms, int among)
            throws Exception {
        long since = System.nanoTime();
        int shards = cluster.client().settings().config().getInt("pekko.cluster.sharding.number-of-shards");
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sample.add("o" + ThreadLocalRandom.current().nextInt(among));
        }
        while (true) {
            boolean any = false;
            // every node is asked where the sampled gates run (a census counts parked FSMs as running)
            for (String name : sample) {
                for (NodeProcess node : cluster.nodes()) {
                    String path = node.address() + "/system/sharding/finitomata-" + ClusterNode.SUPERVISOR + "/"
                            + ConsistentHashClusterInfo.shardOf(name, shards) + "/" + name;
                    try {
                        Adapter.toClassic(cluster.client()).actorSelection(path).resolveOne(Duration.ofSeconds(2))
                                .toCompletableFuture().get(3, TimeUnit.SECONDS);
                        any = true;
                        break;
                    } catch (Exception gone) {
                        // no gate there
                    }
                }
                if (any) {
                    break;
                }
            }
            if (!any) {
                return (System.nanoTime() - since) / 1_000_000;
            }
            Thread.sleep(1_000);
        }
    }

    /**
     * What the collector leaves in dead space that it did not compact: jcmd's histogram lists it as objects, but no
     * FSM holds it (the next collection may reclaim it).
     */
    private static final String FILLER = "[Ljdk.internal.vm.FillerElement;";

    /**
     * The three nodes' live heap by class (bytes, summed over the nodes; {@code "Total"} is the whole), as jcmd's
     * class histogram gives it after a full collection.
     */
    private static Map<String, Long> liveHeap(RealCluster cluster) throws Exception {
        Map<String, Long> bytes = new java.util.HashMap<>();
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        for (NodeProcess node : cluster.nodes()) {
            Path out = Files.createTempFile("histogram", ".txt");
            new ProcessBuilder(java.resolveSibling("jcmd").toString(), Long.toString(node.pid()),
                    "GC.class_histogram").redirectErrorStream(true).redirectOutput(out.toFile()).start().waitFor();
            List<String> lines = Files.readAllLines(out);
            Files.delete(out);
            if (lines.stream().noneMatch(l -> l.startsWith("Total"))) {
                throw new IllegalStateException("no histogram from " + node.label() + ": " + lines);
            }
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) { // num: instances bytes class
                    bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
                } else if (line.startsWith("Total")) {
                    bytes.merge("Total", Long.parseLong(f[2]), Long::sum);
                }
            }
        }
        return bytes;
    }

    /** With the argument {@code histogram}: the 25 classes that grew most from {@code before} to {@code after}. */
    private static void printGrowth(String[] args, Map<String, Long> before, Map<String, Long> after, int fsms) {
        if (!List.of(args).contains("histogram")) {
            return;
        }
        System.out.println("  the nodes' heap growth by class, per stored FSM:");
        after.entrySet().stream().filter(e -> !e.getKey().equals("Total"))
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(25)
                .forEach(e -> System.out.printf("    %8.1f B  %s%n", e.getValue() / (double) fsms, e.getKey()));
    }

    private static long[] touch(Infinitomata<LoadFsm.Load> fsms, int among, int count) throws Exception {
        long[] took = new long[count];
        for (int i = 0; i < count; i++) {
            long before = System.nanoTime();
            if (fsms.state("o" + ThreadLocalRandom.current().nextInt(among)).toCompletableFuture().get().isEmpty()) {
                throw new IllegalStateException("an idle FSM does not run");
            }
            took[i] = System.nanoTime() - before;
        }
        Arrays.sort(took);
        return new long[] {took[count / 2], took[count * 99 / 100]};
    }

    private static int fired(Infinitomata<LoadFsm.Load> fsms, String name) throws Exception {
        List<FsmHistoryEntry<LoadFsm.Load>> history = fsms.history(name).toCompletableFuture().get();
        return (int) history.stream().filter(e -> e.event().equals("delayed")).count();
    }

    /** How late (ms) each delay of {@code due} fired, once all fired or {@code patience} passed; sorted. */
    private static List<Long> lateness(Infinitomata<LoadFsm.Load> fsms, Map<String, Long> due, Duration patience)
            throws Exception {
        long until = System.nanoTime() + patience.toNanos();
        while (true) {
            List<Long> late = new ArrayList<>();
            for (Map.Entry<String, Long> d : due.entrySet()) {
                fsms.history(d.getKey()).toCompletableFuture().get().stream()
                        .filter(e -> e.event().equals("delayed")).findFirst()
                        .ifPresent(e -> late.add(e.at().toEpochMilli() - d.getValue()));
            }
            if (late.size() == due.size() || System.nanoTime() > until) {
                late.sort(null);
                return late;
            }
            Thread.sleep(1_000);
        }
    }

    private static long databaseSize(String database) throws Exception {
        try (Connection c = DriverManager.getConnection(EmbeddedPg.shared().url(database), EmbeddedPg.USER,
                EmbeddedPg.PASSWORD); ResultSet r = c.createStatement().executeQuery(
                "SELECT pg_database_size(current_database())")) {
            r.next();
            return r.getLong(1);
        }
    }
}
