package dev.finitomata.samples;

import dev.finitomata.FsmLocation;
import dev.finitomata.FsmSupervisor;
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
 * The README's demo: thousands of orders through {@link OrderFsm} on a 3-node Pekko cluster inside this JVM,
 * persisted by the file journal under {@code ./finitomata-data}; one node is crashed midway and its orders continue
 * on the other two. A second run resumes from the persisted data; {@code --fresh} starts over.
 */
public final class Demo {

    static final String USAGE = """
            usage: Demo [--orders N] [--fresh] [--data DIR] | --definition [FILE] | --help
              --orders N      how many orders to run (default 10000)
              --fresh         wipe the data directory first
              --data DIR      where the journal lives (default ./finitomata-data)
              --definition    print the order workflow (or the definition in FILE) and exit""";

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int IN_FLIGHT = 2_000;

    private Demo() {
    }

    /** Entry point; see the class comment. Exits 0 on success, 1 on failure, 2 on bad usage. */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    record Options(int orders, boolean fresh, Path data, boolean definition, String definitionFile) {
    }

    static Options parse(String[] args) {
        int orders = 10_000;
        boolean fresh = false;
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
                case "--data" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--data needs a directory");
                    }
                    data = Path.of(args[++i]);
                }
                case "--definition" -> {
                    return new Options(0, false, data, true, i + 1 < args.length ? args[i + 1] : null);
                }
                case "--help", "-h" -> throw new IllegalArgumentException("");
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        return new Options(orders, fresh, data, false, null);
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
        private final AtomicLong transitions = new AtomicLong();
        private final java.util.Set<String> loaded = ConcurrentHashMap.newKeySet();
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
            out.printf("Finitomata demo: %,d orders on a 3-node Pekko cluster in this JVM, journal in %s%n",
                    options.orders(), data.toAbsolutePath().resolve("journal"));
            long begin = System.nanoTime();
            cluster = new DemoCluster(data, 3);
            try {
                return drive(begin, diagram);
            } finally {
                cluster.close();
            }
        }

        private int drive(long begin, Path diagram) throws Exception {
            for (DemoCluster.Node node : cluster.nodes()) {
                node.orders().addListener((name, state, order) -> {
                    transitions.incrementAndGet();
                    if (state.equals("confirmed") || state.equals("cancelled")) {
                        finals.put(name, state);
                    }
                });
            }
            OrderDriver driver = new OrderDriver(this::anyNode, loaded::add);
            Progress progress = new Progress(out, this::line);
            Semaphore window = new Semaphore(IN_FLIGHT);
            List<CompletableFuture<String>> drives = new ArrayList<>();
            long start = System.nanoTime();
            Map<String, Long> before = null;
            String failover = "not reached";
            boolean crash = System.getenv("DEMO_NO_CRASH") == null;
            for (int i = 0; i < options.orders(); i++) {
                String id = String.format("order-%06d", i);
                window.acquire();
                started.incrementAndGet();
                CompletableFuture<String> drive = driver.drive(new Order(id, 100 + i % 900,
                        Math.floorMod(id.hashCode(), 10) != 7, 0, 0)).toCompletableFuture();
                drive.whenComplete((r, e) -> window.release());
                drives.add(drive);
            }
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (finals.size() < options.orders() && System.nanoTime() < deadline) {
                recheck(drives);
                if (crash && before == null && finals.size() >= options.orders() / 3) {
                    // midway: most orders are live somewhere in the cluster
                    before = perNode();
                    failover = crash(cluster.node(2));
                }
                Thread.sleep(100);
            }
            progress.stop();
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Long> after = perNode();
            summary(seconds, before, after, failover, diagram, DemoCluster.since(begin));
            if (finals.size() < options.orders()) {
                out.println("orders not final, by state: " + notFinal());
                throw new IllegalStateException((options.orders() - finals.size()) + " orders did not reach a final "
                        + "state within " + DEADLINE.toSeconds() + " s");
            }
            return 0;
        }

        /** Orders that were already final before this run never tell the listeners: ask for their state. */
        private void recheck(List<CompletableFuture<String>> drives) {
            if (loaded.isEmpty()) {
                return;
            }
            for (int i = 0; i < drives.size(); i++) {
                String result = drives.get(i).getNow(null);
                if (result != null && (result.equals("confirmed") || result.equals("cancelled"))) {
                    finals.putIfAbsent(String.format("order-%06d", i), result);
                }
            }
        }

        private Map<String, Long> notFinal() {
            Map<String, Long> states = new TreeMap<>();
            for (int i = 0; i < options.orders(); i++) {
                String id = String.format("order-%06d", i);
                if (!finals.containsKey(id)) {
                    String state;
                    try {
                        state = cluster.node(0).orders().state(id).toCompletableFuture().get(5, TimeUnit.SECONDS)
                                .map(s -> s.current()).orElse("not running");
                    } catch (Exception e) {
                        state = "no answer";
                    }
                    states.merge(state, 1L, Long::sum);
                }
            }
            return states;
        }

        private FsmSupervisor<Order> anyNode() {
            List<DemoCluster.Node> nodes = cluster.nodes();
            return nodes.get(ThreadLocalRandom.current().nextInt(nodes.size())).orders();
        }

        private Map<String, Long> perNode() throws Exception {
            Map<String, FsmLocation> all = everyOrder();
            return all.values().stream().collect(Collectors.groupingBy(l -> cluster.labelOf(l.node()), TreeMap::new,
                    Collectors.counting()));
        }

        /** Where every live order runs (asked again if a node is too busy to answer in time). */
        private Map<String, FsmLocation> everyOrder() throws Exception {
            for (int attempt = 1; ; attempt++) {
                try {
                    return cluster.node(0).orders().all().toCompletableFuture().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (attempt == 3) {
                        throw new IllegalStateException("the cluster did not say where its orders run: " + e.getCause());
                    }
                }
            }
        }

        /** Crashes the victim node; answers how long until every order it ran answered from a survivor. */
        private String crash(DemoCluster.Node victim) throws Exception {
            String address = victim.address().toString();
            List<String> victims = everyOrder().values().stream().filter(l -> l.node().equals(address)).map(FsmLocation::name).toList();
            out.printf("%n>>> crashing %s (%,d orders live there) ...%n", victim.label(), victims.size());
            long downed = System.nanoTime();
            cluster.crash(victim);
            List<String> waiting = new ArrayList<>(victims);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!waiting.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(waiting.size() + " orders of " + victim.label()
                            + " did not answer from the survivors within 60 s");
                }
                List<CompletableFuture<Boolean>> asks = waiting.stream().map(name -> cluster.node(0).orders()
                        .state(name).toCompletableFuture().thenApply(s -> true).exceptionally(e -> false)).toList();
                List<String> still = new ArrayList<>();
                for (int i = 0; i < asks.size(); i++) {
                    if (!asks.get(i).join()) {
                        still.add(waiting.get(i));
                    }
                }
                waiting = still;
            }
            double seconds = DemoCluster.since(downed).toMillis() / 1e3;
            out.printf(">>> %s's %,d orders answer from the survivors after %.1f s%n", victim.label(), victims.size(),
                    seconds);
            return String.format(Locale.ROOT, "%.1f s for %,d orders of %s", seconds, victims.size(),
                    victim.label());
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
            out.printf("| orders restored from the journal (a previous run, or after the crash) | %,d |%n", loaded.size());
            out.printf(Locale.ROOT, "| transitions (committed, seen by listeners) | %,d in %.1f s = %,.0f/s |%n",
                    transitions.get(), seconds, transitions.get() / seconds);
            out.printf("| payments declined, handled by onFailure | %,d |%n", OrderFsm.DECLINED.get());
            out.printf("| FSMs per node before the crash | %s |%n", before);
            out.printf("| FSMs per node after the crash | %s |%n", after);
            out.printf("| failover | %s |%n", failover);
            out.printf("| Mermaid diagram | %s |%n", diagram.toAbsolutePath());
            out.printf(Locale.ROOT, "| total run time | %.1f s |%n", total.toMillis() / 1e3);
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
