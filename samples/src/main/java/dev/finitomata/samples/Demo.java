package dev.finitomata.samples;

import dev.finitomata.FsmLocation;
import dev.finitomata.sharding.it.ClusterProbes;
import dev.finitomata.sharding.it.NodeProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The README's demo: thousands of orders through {@link OrderFsm} on a real cluster: three node JVMs sharing a
 * PostgreSQL (embedded, its data under {@code ./finitomata-data}), driven from this process through the public API.
 * Midway the oldest node is killed with SIGKILL, and its orders answer from the other two. A second run resumes from
 * the database; {@code --fresh} starts over.
 */
public final class Demo {

    static final String USAGE = """
            usage: Demo [--orders N] [--fresh] [--data DIR] [--dashboard] | --definition [FILE] | --help
              --orders N      how many orders to run (default 10000)
              --fresh         wipe the data directory first
              --dashboard     after the summary, keep the cluster up and print the dashboard's address (Ctrl-C ends)
              --data DIR      where the database and the nodes' logs live (default ./finitomata-data)
              --definition    print the order workflow (or the definition in FILE) and exit""";

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int IN_FLIGHT = 2_000;

    private Demo() {
    }

    /** Entry point; see the class comment. Exits 0 on success, 1 on failure, 2 on bad usage. */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    record Options(int orders, boolean fresh, Path data, boolean definition, String definitionFile,
                   boolean dashboard) {
    }

    static Options parse(String[] args) {
        int orders = 10_000;
        boolean fresh = false;
        boolean dashboard = false;
        Path data = Path.of("finitomata-data");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--orders" -> {
                    if (i + 1 >= args.length || !args[i + 1].matches("[1-9][0-9]{0,6}")) {
                        throw new IllegalArgumentException("--orders needs a whole number from 1 to 9999999");
                    }
                    orders = Integer.parseInt(args[++i]);
                }
                case "--fresh" -> fresh = true;
                case "--dashboard" -> dashboard = true;
                case "--data" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--data needs a directory");
                    }
                    data = Path.of(args[++i]);
                }
                case "--definition" -> {
                    return new Options(0, false, data, true, i + 1 < args.length ? args[i + 1] : null, false);
                }
                case "--help", "-h" -> throw new IllegalArgumentException("");
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        return new Options(orders, fresh, data, false, null, dashboard);
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                err.println(e.getMessage());
            }
            err.println(USAGE);
            return 2;
        }
        if (options.definition()) {
            return DefinitionPrinter.run(options.definitionFile(), out, err);
        }
        try {
            return new Demo.Run(options, out).go();
        } catch (IllegalStateException e) {
            err.println("demo failed: " + e.getMessage());
            return 1;
        }
    }

    /** One run of the demo. */
    private static final class Run {
        private final Options options;
        private final PrintStream out;
        private final Map<String, String> finals = new ConcurrentHashMap<>();
        private final java.util.Set<String> restored = ConcurrentHashMap.newKeySet();
        private final java.util.Set<String> waitingForTimer = ConcurrentHashMap.newKeySet();
        private final AtomicLong transitions = new AtomicLong();
        private final AtomicLong declined = new AtomicLong();
        private final AtomicLong started = new AtomicLong();
        private DemoCluster cluster;

        Run(Options options, PrintStream out) {
            this.options = options;
            this.out = out;
        }

        int go() throws Exception {
            Path data = options.data();
            if (options.fresh()) {
                wipe(data);
            }
            Files.createDirectories(data);
            Path diagram = data.resolve("order.mmd");
            Files.writeString(diagram, OrderFsm.DEFINITION.toMermaid());
            out.printf("Finitomata demo: %,d orders on a cluster of 3 node JVMs sharing PostgreSQL (embedded, data in "
                    + "%s)%n", options.orders(), data.toAbsolutePath().resolve("postgres"));
            long begin = System.nanoTime();
            cluster = new DemoCluster(data, 3);
            out.printf(Locale.ROOT, "cluster Up: 3 nodes and this process, %.1f s%n", DemoCluster.since(begin)
                    .toMillis() / 1e3);
            try {
                return drive(begin, diagram);
            } finally {
                cluster.close();
            }
        }

        private int drive(long begin, Path diagram) throws Exception {
            OrderDriver driver = new OrderDriver(cluster::orders, new OrderDriver.Observer() {
                @Override
                public void restored(String name) {
                    restored.add(name);
                }

                @Override
                public void moved() {
                    transitions.incrementAndGet();
                }

                @Override
                public void declined() {
                    declined.incrementAndGet();
                }
            });
            Progress progress = new Progress(out, this::line);
            Semaphore window = new Semaphore(IN_FLIGHT);
            long start = System.nanoTime();
            Map<String, Long> before = null;
            String failover = "not reached";
            boolean crash = System.getenv("DEMO_NO_CRASH") == null;
            for (int i = 0; i < options.orders(); i++) {
                String id = String.format("order-%06d", i);
                window.acquire();
                started.incrementAndGet();
                driver.drive(new Order(id, 100 + i % 900, Math.floorMod(id.hashCode(), 10) != 7, 0, 0))
                        .whenComplete((state, error) -> {
                            window.release();
                            settle(id, state);
                        });
                if (crash && before == null && finals.size() >= options.orders() / 3) {
                    before = perNode();
                    failover = crash(cluster.oldest());
                }
            }
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (finals.size() < options.orders() && System.nanoTime() < deadline) {
                if (crash && before == null && finals.size() >= options.orders() / 3) {
                    before = perNode();
                    failover = crash(cluster.oldest());
                }
                checkTimers();
                Thread.sleep(200);
            }
            progress.stop();
            double seconds = (System.nanoTime() - start) / 1e9;
            summary(seconds, before, perNode(), failover, diagram, DemoCluster.since(begin));
            if (finals.size() < options.orders()) {
                throw new IllegalStateException((options.orders() - finals.size()) + " orders did not reach a final "
                        + "state within " + DEADLINE.toSeconds() + " s");
            }
            if (options.dashboard()) {
                out.println("dashboard: " + cluster.dashboard().orElseThrow(() -> new IllegalStateException(
                        "no live node serves the dashboard")));
                out.println("(the cluster stays up until Ctrl-C)");
                out.flush();
                new java.util.concurrent.CountDownLatch(1).await();
            }
            return 0;
        }

        /** A drive ended: in a final state, or waiting for the timer that cancels unpaid orders. */
        private void settle(String id, String state) {
            if ("confirmed".equals(state) || "cancelled".equals(state)) {
                finals.put(id, state);
            } else {
                waitingForTimer.add(id);
            }
        }

        /** Asks the orders the timer is to cancel for their state. */
        private void checkTimers() {
            for (String id : List.copyOf(waitingForTimer)) {
                cluster.orders().state(id).toCompletableFuture().orTimeout(2, TimeUnit.SECONDS).thenAccept(s -> s
                        .map(x -> x.current()).filter(c -> c.equals("confirmed") || c.equals("cancelled"))
                        .ifPresent(c -> {
                            finals.put(id, c);
                            waitingForTimer.remove(id);
                        }));
            }
        }

        private Map<String, Long> perNode() {
            Map<String, FsmLocation> all = cluster.orders().all().toCompletableFuture().join();
            return all.values().stream().collect(Collectors.groupingBy(l -> cluster.labelOf(l.node()), TreeMap::new,
                    Collectors.counting()));
        }

        /**
         * Kills {@code victim} (the oldest node, which hosts the shard coordinators) with SIGKILL; answers how long its
         * orders took to answer from the survivors: first, median, last.
         */
        private String crash(NodeProcess victim) throws Exception {
            String address = victim.address();
            List<String> victims = cluster.orders().all().toCompletableFuture().join().values().stream()
                    .filter(l -> l.node().equals(address)).map(FsmLocation::name).toList();
            out.printf("%n>>> kill -9 of %s, the oldest node (%,d orders live there) ...%n", victim.label(),
                    victims.size());
            long killed = System.nanoTime();
            victim.kill();
            String figures;
            try {
                figures = ClusterProbes.firstMedianLast(ClusterProbes.answerAgain(cluster.orders(), victims, killed,
                        Duration.ofSeconds(90), () -> { }));
            } catch (AssertionError e) {
                throw new IllegalStateException("after the kill of " + victim.label() + ": " + e.getMessage());
            }
            out.printf(">>> %s's %,d orders answer from the survivors after %s (first / median / last)%n",
                    victim.label(), victims.size(), figures);
            return String.format(Locale.ROOT, "%s (first / median / last) for the %,d orders of %s", figures,
                    victims.size(), victim.label());
        }

        private String line() {
            long confirmed = finals.values().stream().filter("confirmed"::equals).count();
            return String.format(Locale.ROOT, "orders started %,d | confirmed %,d | cancelled %,d | transitions %,d",
                    started.get(), confirmed, finals.size() - confirmed, transitions.get());
        }

        private void summary(double seconds, Map<String, Long> before, Map<String, Long> after, String failover,
                             Path diagram, Duration total) {
            Map<String, Long> perState = finals.values().stream()
                    .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
            out.println();
            out.println("| summary | |");
            out.println("|---|---|");
            perState.forEach((state, n) -> out.printf("| orders %s | %,d |%n", state, n));
            out.printf("| orders not final | %,d |%n", options.orders() - finals.size());
            out.printf("| orders restored from the journal (a previous run, or after the crash) | %,d |%n",
                    restored.size());
            out.printf(Locale.ROOT, "| transitions made (awaited, committed) | %,d in %.1f s = %,.0f/s |%n",
                    transitions.get(), seconds, transitions.get() / seconds);
            out.printf("| payments declined, handled by onFailure | %,d |%n", declined.get());
            out.printf("| orders per node before the crash | %s |%n", before);
            out.printf("| orders per node after the crash | %s |%n", after);
            out.printf("| failover after kill -9 | %s |%n", failover);
            out.printf("| orders running per state, countByState() | %s |%n", counted());
            out.printf("| the same, summed from the live nodes' Prometheus gauges finitomata_fsms | %s |%n",
                    scraped());
            out.printf("| Prometheus scrape endpoints of the live nodes | %s |%n", cluster.metricsEndpoints());
            out.printf("| ERROR lines in the nodes' logs | %,d |%n", cluster.errors());
            out.printf("| Mermaid diagram | %s |%n", diagram.toAbsolutePath());
            out.printf(Locale.ROOT, "| total run time | %.1f s |%n", total.toMillis() / 1e3);
        }

        private String counted() {
            try {
                return cluster.orders().countByState().toCompletableFuture().get(30, TimeUnit.SECONDS).toString();
            } catch (Exception e) {
                return "no answer: " + e;
            }
        }

        private String scraped() {
            try {
                return cluster.scrapedFsmsByState().toString();
            } catch (IOException e) {
                return "not scraped: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        private static void wipe(Path data) throws IOException {
            if (!Files.exists(data)) {
                return;
            }
            try (Stream<Path> files = Files.walk(data)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
