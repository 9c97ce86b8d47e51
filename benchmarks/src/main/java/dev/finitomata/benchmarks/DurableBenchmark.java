package dev.finitomata.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Finitomata;
import dev.finitomata.StartResult;
import dev.finitomata.internal.protocol.Event;
import dev.finitomata.persistence.ets.Ets;
import dev.finitomata.persistence.file.FilePersistence;
import dev.finitomata.persistence.file.internal.RecordFormat;
import dev.finitomata.persistence.jdbc.EmbeddedPg;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * Durable journals, measured fairly: Finitomata and a hand-written {@link Baseline} EventSourcedBehavior, each on the
 * fsync'd file journal and on pekko-persistence-jdbc with an embedded PostgreSQL (synchronous commit), contenders
 * interleaved round by round (5 rounds, or as many as asked, after a warm-up round; the table shows each contender's
 * median and, for each ratio, the median of the per-round ratios). A fifth contender is the ceiling: the
 * hand-written behavior on the ETS store without serialization, a journal that does no I/O and no serialization
 * behind the same Java journal SPI, so no journal can make Pekko persistence faster than that here. Finitomata runs
 * on its FSM dispatcher, the hand-written behavior on the default dispatcher, Pekko's virtual-thread-executor here
 * ({@link Bench#config}). Per contender: awaited persisted transitions/s at 1, 100, 1,000 and 10,000 entities; the
 * latency of one writer; the first start of N entities (each persisting one event, as {@code start} does); the
 * recovery rate of those N entities (3 events each) in a new ActorSystem; and bytes per stored event.
 *
 * <p>Arguments: {@code [entities to start and recover] [rounds=N] [warmup=N] [recovery] [metrics]} (default 100000,
 * 5 rounds and 1 warm-up round;
 * {@code recovery} measures only the start and the recovery, for profiling; {@code metrics} measures instead the
 * transition rates on the file journal with and without {@code FinitomataMetrics} bound).
 *
 * <p>{@code chains} runs only the chained shape's four rows, on the file journal ({@code journal=jdbc}: on
 * PostgreSQL), Finitomata against the hand-written behavior, so that a run can hold many rounds; {@code sizes=100,1000}
 * runs only those entity counts. Each of its measurements prints its window (CPU, allocation and collection per
 * transition).
 *
 * <p>{@code bursts} runs 1,000 entities for 40 rounds; {@code shape=10000x4} runs 10,000 for 4.
 * With {@code bursts} or {@code chains}, {@code -Dbench.profile=<dir>} in {@code bench.heap} also profiles each
 * contender's timed windows, in the same interleaved run, and reports their CPU per transition by thread and by
 * package ({@link WindowProfiles}); with {@code -Dbench.profile.event=alloc} their allocation instead.
 */
public final class DurableBenchmark {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    /**
     * The hand-written behavior's ask timeout: Finitomata's ({@code finitomata.ask-timeout}, which these systems leave
     * at its default). Each ask leaves a timeout task in Pekko's scheduler, and a cancelled one stays there until the
     * wheel passes its slot: about {@code timeout} modulo the wheel's turn (5.12 s), so 4.9 s at 10 s but 1 s at the
     * 10 minutes once used here, which kept 2.3 times fewer tasks alive for the collector to copy.
     */
    private static final Duration ASK_TIMEOUT = com.typesafe.config.ConfigFactory.defaultReference()
            .getDuration("finitomata.ask-timeout");
    private static final AtomicInteger ROUND = new AtomicInteger();
    private static int rounds = 5;
    /** {@code bursts}' shape: entities, and rounds of one awaited transition each ({@code shape=EntitiesxRounds}). */
    private static int burstEntities = 1_000;
    private static int burstRounds = 40;
    /** Rounds run and thrown away before those measured ({@code warmup=N}; 1 by default). */
    private static int warmups = 1;
    /**
     * The chained shape: entities, and awaited transitions each; each shape runs about a second on the file journal
     * (shorter windows measured mostly the machine's noise).
     */
    private static final int[][] CHAINS = {{1, 15_000}, {100, 1_000}, {1_000, 200}, {10_000, 20}};
    /** Whether the chained shape's measurements are timed windows ({@link Window}): in {@code chains} only. */
    private static boolean windows;
    /** {@code chains}: the entity counts of {@link #CHAINS} to run ({@code sizes=100,1000}); all when empty. */
    private static List<Integer> chainSizes = List.of();
    /** The hand-written actor's event goes through the same serializer as Finitomata's. */
    private static final String BASELINE_JACKSON = """
            pekko.actor.serialization-bindings { "dev.finitomata.benchmarks.Baseline$Moved" = jackson-cbor }
            """;

    private DurableBenchmark() {
    }

    /**
     * Where a measurement's time went, for {@code bursts}: the process's CPU per transition, and of it the kernel's
     * ({@code /proc/self/stat}), the bytes allocated per transition (all threads; a virtual thread's allocations
     * count on its carrier), plus the JIT's compilation time and the collector's pauses in the same window.
     */
    private record Window(long wallNanos, long cpuNanos, long kernel, long allocated, long compiling,
                          long collecting, long collections) {

        /** A window begins (and its profile, with {@code -Dbench.profile}: {@link WindowProfiles}). */
        static Window open() {
            WindowProfiles.begin();
            return now();
        }

        private static Window now() {
            return new Window(System.nanoTime(), processCpu(), kernelMillis(), allocatedBytes(), jit(), gc(),
                    gcCount());
        }

        /** {@code issuing}: how long the caller's thread took to make the calls (all rounds). */
        void print(String who, long transitions, long issuing) {
            Window now = now();
            WindowProfiles.end(who, transitions);
            System.out.printf(java.util.Locale.ROOT, "  %-12s %,8.0f/s  CPU %5.1f µs/transition (kernel %4.1f µs)"
                    + "  %,6.0f B/transition  JIT %,5d ms  GC %,4d ms (%d)  calls made in %4.1f%% of the time"
                    + " (%4.2f µs each)%n", who,
                    transitions / ((now.wallNanos - wallNanos) / 1e9), (now.cpuNanos - cpuNanos) / 1e3 / transitions,
                    (now.kernel - kernel) * 1e3 / transitions, (now.allocated - allocated) / (double) transitions,
                    now.compiling - compiling, now.collecting - collecting, now.collections - collections,
                    100.0 * issuing / (now.wallNanos - wallNanos), issuing / 1e3 / transitions);
        }

        private static long allocatedBytes() {
            return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                    .getTotalThreadAllocatedBytes();
        }

        private static long processCpu() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        /** Kernel CPU of this process so far (Linux: field 15 of /proc/self/stat, in ticks of 10 ms); else 0. */
        private static long kernelMillis() {
            try {
                String stat = Files.readString(java.nio.file.Path.of("/proc/self/stat"));
                return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[12]) * 10;
            } catch (java.io.IOException | RuntimeException e) {
                return 0;
            }
        }

        private static long jit() {
            return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        }

        private static long gc() {
            return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
        }

        private static long gcCount() {
            return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionCount).sum();
        }
    }

    /** One contender: a kind of actor on one journal. */
    private interface Contender {
        /** N entities each make K awaited transitions; fills {@code latencies} (K of them) for N = 1. */
        double rate(int entities, int each, long[] latencies) throws Exception;

        /**
         * Starts N entities never started before, each persisting its first event, then 2 more each; answers
         * starts/s. {@code tag} sets them apart from other rounds' (the empty tag: those {@link #recover} reads).
         */
        double start(int n, String tag) throws Exception;

        /** In a new ActorSystem, recovers the N entities of {@link #start} with the empty tag; answers recovered/s. */
        double recover(int n) throws Exception;

        /**
         * Bursts (issue 26, point 5): N entities; in each of R rounds every entity is sent one awaited transition
         * (one ask each), and the round waits for all of them; answers transitions/s over the rounds, and prints
         * where the time went ({@link Window}).
         */
        double bursts(int entities, int rounds) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        warmups = options.stream().filter(a -> a.startsWith("warmup=")).map(a -> Integer.parseInt(a.substring(7)))
                .findFirst().orElse(1);
        rounds = options.stream().filter(a -> a.startsWith("rounds=")).map(a -> Integer.parseInt(a.substring(7)))
                .findFirst().orElse(5);
        boolean recoveryOnly = options.contains("recovery");
        chainSizes = options.stream().filter(a -> a.startsWith("sizes=")).findFirst()
                .map(a -> Arrays.stream(a.substring(6).split(",")).map(Integer::valueOf).toList()).orElse(List.of());
        options.stream().filter(a -> a.startsWith("shape=")).findFirst().ifPresent(a -> {
            String[] shape = a.substring(6).split("x");
            burstEntities = Integer.parseInt(shape[0]);
            burstRounds = Integer.parseInt(shape[1]);
        });
        System.out.println(Bench.machine());
        Config file = ConfigFactory.parseString(BASELINE_JACKSON)
                .withFallback(FilePersistence.config(Bench.scratchDir("finitomata-durable")));
        EmbeddedPg pg = EmbeddedPg.shared();
        String database = pg.freshDatabase("durable");
        Config jdbc = ConfigFactory.parseString(BASELINE_JACKSON).withFallback(pg.config(database));
        Config ets = Ets.config();
        ActorSystem<Void> onFile = system(file);
        ActorSystem<Void> onJdbc = system(jdbc);
        ActorSystem<Void> onEts = system(ets);
        if (options.contains("bursts")) {
            Contender[] three = {new Ours(onFile, file), new HandWritten(onFile, file),
                new HandWritten(onFile, file, true)};
            String only = options.stream().filter(a -> a.startsWith("only=")).map(a -> a.substring(5)).findFirst()
                    .orElse("");
            if (only.isEmpty()) {
                bursts(three);
            } else { // one contender alone, for a profiler: only=finitomata, only=hand-written or only=obligations
                Contender one = three[List.of("finitomata", "hand-written", "obligations").indexOf(only)];
                for (int i = 0; i < rounds; i++) {
                    one.bursts(burstEntities, burstRounds);
                }
                WindowProfiles.report();
            }
            onJdbc.terminate();
            onEts.terminate();
            onFile.terminate();
            return;
        }
        if (options.contains("chains")) {
            boolean onPg = options.contains("journal=jdbc");
            chains(onPg ? "PostgreSQL (pekko-persistence-jdbc)" : "the file journal", onPg
                    ? new Contender[] {new Ours(onJdbc, jdbc), new HandWritten(onJdbc, jdbc)}
                    : new Contender[] {new Ours(onFile, file), new HandWritten(onFile, file)});
            onJdbc.terminate();
            onEts.terminate();
            onFile.terminate();
            return;
        }
        if (options.contains("metrics")) {
            metered(file, onFile);
            onJdbc.terminate();
            onEts.terminate();
            return;
        }
        Contender[] all = {new Ours(onFile, file), new HandWritten(onFile, file), new Ours(onJdbc, jdbc),
                new HandWritten(onJdbc, jdbc), new HandWritten(onEts, ets)};
        String[] names = {"Finitomata, file", "hand-written, file", "Finitomata, JDBC", "hand-written, JDBC",
                "hand-written, ETS (no I/O: the ceiling)"};
        List<String[]> rows = new ArrayList<>();
        for (int[] shape : recoveryOnly ? new int[0][] : CHAINS) {
            double[][] r = rounds(all, c -> c.rate(shape[0], shape[1], null));
            rows.add(row(String.format("awaited transitions/s, %,d %s (%,d each)", shape[0],
                    shape[0] == 1 ? "entity" : "entities", shape[1]), r, "/s"));
        }
        double[] p50 = new double[all.length];
        double[] p99 = new double[all.length];
        for (int i = 0; i < (recoveryOnly ? 0 : all.length); i++) {
            long[] latencies = new long[1_000];
            all[i].rate(1, latencies.length, latencies);
            Arrays.sort(latencies);
            p50[i] = latencies[latencies.length / 2] / 1e3;
            p99[i] = latencies[latencies.length * 99 / 100] / 1e3;
        }
        if (!recoveryOnly) {
            rows.add(row("one writer: p50 latency", once(p50), "µs"));
            rows.add(row("one writer: p99 latency", once(p99), "µs"));
        }
        // the entities recover() reads; measured once, these were the first thing a cold JVM ran in "recovery"
        // mode (Finitomata first: 0.42x), so the row is the interleaved rounds below, each on entities of its own
        for (Contender c : all) {
            c.start(n, "");
        }
        double[][] starts = rounds(all, c -> c.start(n, "-" + ROUND.incrementAndGet()));
        rows.add(row(String.format("first start of %,d entities (one persisted event each)", n), starts, "/s"));
        double[][] recovered = rounds(all, c -> c.recover(n));
        rows.add(row(String.format("%,d entities (3 events each) recovered/s in a new ActorSystem", n), recovered,
                "/s"));
        rows.add(row("bytes per stored event", once(bytesPerEvent(onFile, pg, database)), "B"));
        onFile.terminate();
        onJdbc.terminate();
        onEts.terminate();

        System.out.println();
        System.out.println("## Durable journals: Finitomata vs hand-written EventSourcedBehavior, file journal vs "
                + "pekko-persistence-jdbc on PostgreSQL (embedded, synchronous commit)");
        System.out.println(Bench.machine());
        System.out.println("| metric | " + String.join(" | ", names) + " | Finitomata / hand-written: file, JDBC "
                + "| file / JDBC (hand-written) | file / ceiling, ceiling / JDBC (hand-written) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
    }

    /**
     * {@code chains}: the chained shape (each entity a chain of awaited calls) on one journal, Finitomata
     * and the hand-written behavior, so that many rounds fit in a run; per shape every round, the median of the
     * per-round ratios, and the ratio of the medians (which the place the two met at in a round does not bias).
     */
    private static void chains(String journal, Contender[] two) throws Exception {
        windows = true;
        List<String> lines = new ArrayList<>();
        for (int[] shape : CHAINS) {
            if (!chainSizes.isEmpty() && !chainSizes.contains(shape[0])) {
                continue;
            }
            double[][] r = rounds(two, c -> c.rate(shape[0], shape[1], null));
            double[] ratios = new double[r[0].length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = r[0][i] / r[1][i];
            }
            lines.add(String.format(java.util.Locale.ROOT, "| %,d (%,d each) | %,.0f/s | %,.0f/s | %.3fx | %.3fx | %s |",
                    shape[0], shape[1], Bench.median(r[0]), Bench.median(r[1]), Bench.median(ratios),
                    Bench.median(r[0]) / Bench.median(r[1]), Arrays.stream(ratios)
                            .mapToObj(x -> String.format(java.util.Locale.ROOT, "%.2f", x)).toList()));
        }
        System.out.println();
        System.out.printf(java.util.Locale.ROOT, "## Chains on %s: awaited transitions/s, %d rounds%n",
                journal, rounds);
        System.out.println(Bench.machine());
        System.out.println("| entities | Finitomata | hand-written | median of the per-round ratios | ratio of the "
                + "medians | per-round ratios |");
        System.out.println("|---|---|---|---|---|---|");
        lines.forEach(System.out::println);
        WindowProfiles.report();
    }

    /** {@code bursts}: 1,000 entities, 40 rounds of one awaited transition each, on the file journal, interleaved. */
    private static void bursts(Contender[] all) throws Exception {
        double[][] r = rounds(all, c -> c.bursts(burstEntities, burstRounds));
        System.out.println();
        System.out.printf(java.util.Locale.ROOT, "## Bursts: %,d entities, %d rounds, each round one awaited transition"
                + " per entity%n", burstEntities, burstRounds);
        System.out.println(Bench.machine());
        System.out.println("| round | Finitomata, file | hand-written, file | hand-written with Finitomata's obligations "
                + "| Finitomata / hand-written | with obligations / hand-written | Finitomata / with obligations |");
        System.out.println("|---|---|---|---|---|---|---|");
        double[][] ratios = new double[3][r[0].length];
        for (int i = 0; i < r[0].length; i++) {
            ratios[0][i] = r[0][i] / r[1][i];
            ratios[1][i] = r[2][i] / r[1][i];
            ratios[2][i] = r[0][i] / r[2][i];
            System.out.printf("| %d | %,.0f/s | %,.0f/s | %,.0f/s | %.2fx | %.2fx | %.2fx |%n", i + 1, r[0][i],
                    r[1][i], r[2][i], ratios[0][i], ratios[1][i], ratios[2][i]);
        }
        System.out.printf("| median | %,.0f/s | %,.0f/s | %,.0f/s | %.2fx | %.2fx | %.2fx |%n", Bench.median(r[0]),
                Bench.median(r[1]), Bench.median(r[2]), Bench.median(ratios[0]), Bench.median(ratios[1]),
                Bench.median(ratios[2]));
        // each contender ran at each place in the round (about) equally often, so the ratio of the medians does not
        // depend on which places two contenders met at; the median of the per-round ratios does (BENCHMARKS.md,
        // fourteenth session: at 10,000 entities it fell where Finitomata ran first, the hand-written one second)
        System.out.printf(java.util.Locale.ROOT, "ratios of the medians: Finitomata / hand-written %.3fx, with "
                + "obligations / hand-written %.3fx, Finitomata / with obligations %.3fx%n",
                Bench.median(r[0]) / Bench.median(r[1]), Bench.median(r[2]) / Bench.median(r[1]),
                Bench.median(r[0]) / Bench.median(r[2]));
        WindowProfiles.report();
    }

    /**
     * {@code metrics}: what binding {@code FinitomataMetrics} costs on the file journal. Finitomata, the hand-written
     * behavior, and Finitomata in an ActorSystem whose meters are bound to a Prometheus registry, interleaved.
     */
    private static void metered(Config file, ActorSystem<Void> onFile) throws Exception {
        ActorSystem<Void> metered = Bench.metered(system(file));
        Contender[] all = {new Ours(onFile, file), new HandWritten(onFile, file), new Ours(metered, file)};
        List<String> rows = new ArrayList<>();
        for (int[] shape : new int[][] {{1, 15_000}, {100, 1_000}, {1_000, 200}, {10_000, 20}}) {
            double[][] v = rounds(all, c -> c.rate(shape[0], shape[1], null));
            rows.add(String.format("| awaited transitions/s, %,d (%,d each) | %s | %s | %s | %s | %s | %s |",
                    shape[0], shape[1], fmt(Bench.median(v[0]), "/s"), fmt(Bench.median(v[1]), "/s"),
                    fmt(Bench.median(v[2]), "/s"), ratio(v[0], v[1], false), ratio(v[2], v[1], false),
                    ratio(v[2], v[0], false)));
        }
        metered.terminate();
        onFile.terminate();
        System.out.println();
        System.out.println("## What FinitomataMetrics costs on the file journal (fsync'd)");
        System.out.println(Bench.machine());
        System.out.println("| metric | Finitomata | hand-written | Finitomata + metrics | Finitomata / hand-written "
                + "| Finitomata + metrics / hand-written | with metrics / without |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** One measurement of a contender. */
    private interface Measure {
        double of(Contender contender) throws Exception;
    }

    /** {@code measure} of every contender, interleaved: every round after 1 warm-up round. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static double[][] rounds(Contender[] all, Measure measure) throws Exception {
        Callable<Double>[] contenders = new Callable[all.length];
        for (int i = 0; i < all.length; i++) {
            Contender c = all[i];
            contenders[i] = () -> measure.of(c);
        }
        return Bench.rounds(warmups, rounds, contenders);
    }

    /** A measurement taken once per contender, as one round. */
    private static double[][] once(double[] values) {
        double[][] one = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            one[i] = new double[] {values[i]};
        }
        return one;
    }

    /**
     * The medians of the contenders' rounds, and ratios: each the median of the ratios of the same round (the machine
     * drifts from one round to the next; both sides of a ratio ran in the same round, one after the other).
     */
    private static String[] row(String metric, double[][] v, String unit) {
        boolean lowerIsBetter = !unit.equals("/s");
        return new String[] {metric, fmt(Bench.median(v[0]), unit), fmt(Bench.median(v[1]), unit),
                fmt(Bench.median(v[2]), unit), fmt(Bench.median(v[3]), unit), fmt(Bench.median(v[4]), unit),
                ratio(v[0], v[1], lowerIsBetter) + ", " + ratio(v[2], v[3], lowerIsBetter),
                ratio(v[1], v[3], lowerIsBetter), ratio(v[1], v[4], lowerIsBetter) + ", "
                + ratio(v[4], v[3], lowerIsBetter)};
    }

    /** The median over the rounds of ours / theirs (theirs / ours where lower is better). */
    private static String ratio(double[] ours, double[] theirs, boolean lowerIsBetter) {
        double[] ratios = new double[ours.length];
        for (int i = 0; i < ours.length; i++) {
            if (Double.isNaN(ours[i]) || Double.isNaN(theirs[i])) {
                return "n/a";
            }
            ratios[i] = lowerIsBetter ? theirs[i] / ours[i] : ours[i] / theirs[i];
        }
        return String.format("%.2fx", Bench.median(ratios));
    }

    private static String fmt(double v, String unit) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return (v >= 100 ? String.format("%,.0f", v) : String.format("%.1f", v)) + " " + unit;
    }

    private static ActorSystem<Void> system(Config config) {
        return Adapter.toTyped(org.apache.pekko.actor.ActorSystem.create("durable-" + ROUND.incrementAndGet(),
                Bench.config(config.root().render())));
    }

    /** A timed window of the chained shape, when {@link #windows}: answers what ends it. */
    private static Runnable window(String who, long transitions) {
        if (!windows) {
            return () -> { };
        }
        Window window = Window.open();
        return () -> window.print(who, transitions, 0);
    }

    private static double elapsedRate(long startNanos, double count) {
        return count / ((System.nanoTime() - startNanos) / 1e9);
    }

    private static void awaitAll(List<? extends CompletionStage<?>> stages) throws Exception {
        CompletableFuture.allOf(stages.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new)).get();
    }

    /** Finitomata FSMs ({@link PingPong}) on the system's default journal. */
    private record Ours(ActorSystem<?> system, Config config) implements Contender {

        @Override
        public double rate(int entities, int each, long[] latencies) throws Exception {
            return FileBenchmark.rate(system, entities, each, latencies,
                    () -> window("Finitomata", entities * (long) each));
        }

        @Override
        public double start(int n, String tag) throws Exception {
            Finitomata<PingPong.Ball> sup = Finitomata.create(system, "durable" + tag, PingPong.class,
                    PingPong::new);
            List<CompletionStage<?>> starts = new ArrayList<>(n);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                starts.add(sup.start("d" + i, new PingPong.Ball(0)));
            }
            awaitAll(starts);
            double rate = elapsedRate(start, n);
            List<CompletionStage<?>> moves = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String name = "d" + i;
                moves.add(sup.transitionAndWait(name, "go", null).thenCompose(s -> sup.transitionAndWait(name,
                        "go", null)));
            }
            awaitAll(moves);
            List<CompletionStage<?>> stops = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                stops.add(sup.stop("d" + i));
            }
            awaitAll(stops);
            return rate;
        }

        @Override
        public double bursts(int entities, int rounds) throws Exception {
            Finitomata<PingPong.Ball> sup = Finitomata.create(system, "bursts-" + ROUND.incrementAndGet(),
                    PingPong.class, PingPong::new);
            List<CompletionStage<?>> starts = new ArrayList<>(entities);
            for (int i = 0; i < entities; i++) {
                starts.add(sup.start("b" + i, new PingPong.Ball(0)));
            }
            awaitAll(starts);
            long start = System.nanoTime();
            Window window = Window.open();
            long issuing = 0;
            for (int r = 0; r < rounds; r++) {
                List<CompletionStage<?>> round = new ArrayList<>(entities);
                long issued = System.nanoTime();
                for (int i = 0; i < entities; i++) {
                    round.add(sup.transitionAndWait("b" + i, "go", null));
                }
                issuing += System.nanoTime() - issued;
                awaitAll(round);
            }
            double rate = elapsedRate(start, entities * (double) rounds);
            window.print("Finitomata", entities * (long) rounds, issuing);
            List<CompletionStage<?>> stops = new ArrayList<>(entities);
            for (int i = 0; i < entities; i++) {
                stops.add(sup.stop("b" + i));
            }
            awaitAll(stops);
            return rate;
        }

        @Override
        public double recover(int n) throws Exception {
            ActorSystem<Void> fresh = DurableBenchmark.system(config);
            try {
                Finitomata<PingPong.Ball> sup = Finitomata.create(fresh, "durable", PingPong.class, PingPong::new);
                List<CompletionStage<?>> loads = new ArrayList<>(n);
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    loads.add(sup.start("d" + i, new PingPong.Ball(0)).thenAccept(r -> {
                        if (r != StartResult.LOADED) {
                            throw new IllegalStateException("not recovered: " + r);
                        }
                    }));
                }
                awaitAll(loads);
                return elapsedRate(start, n);
            } finally {
                fresh.terminate();
                fresh.getWhenTerminated().toCompletableFuture().get();
            }
        }
    }

    /** The hand-written {@link Baseline} on the system's default journal. */
    private record HandWritten(ActorSystem<?> system, Config config, boolean obligations) implements Contender {

        HandWritten(ActorSystem<?> system, Config config) {
            this(system, config, false);
        }

        @Override
        public double rate(int entities, int each, long[] latencies) throws Exception {
            int round = ROUND.incrementAndGet();
            List<ActorRef<Baseline.Go>> refs = spawnAndAsk(system, entities, "rate-" + round, "peek");
            Runnable timed = window("hand-written", entities * (long) each);
            long start = System.nanoTime();
            List<CompletionStage<?>> chains = new ArrayList<>(entities);
            for (ActorRef<Baseline.Go> ref : refs) {
                CompletionStage<?> chain = CompletableFuture.completedFuture(null);
                for (int t = 0; t < each; t++) {
                    int k = t;
                    chain = chain.thenCompose(x -> {
                        long before = System.nanoTime();
                        return ask(system, ref, "go").thenApply(s -> {
                            if (latencies != null) {
                                latencies[k] = System.nanoTime() - before;
                            }
                            return s;
                        });
                    });
                }
                chains.add(chain);
            }
            awaitAll(chains);
            double rate = elapsedRate(start, entities * (double) each);
            timed.run();
            ScaleBenchmark.stopAndWait(refs);
            return rate;
        }

        @Override
        public double start(int n, String tag) throws Exception {
            long start = System.nanoTime();
            List<ActorRef<Baseline.Go>> refs = spawnAndAsk(system, n, "start" + tag, "go");
            double rate = elapsedRate(start, n);
            List<CompletionStage<?>> moves = new ArrayList<>(n);
            refs.forEach(ref -> moves.add(ask(system, ref, "go").thenCompose(s -> ask(system, ref, "go"))));
            awaitAll(moves);
            ScaleBenchmark.stopAndWait(refs);
            return rate;
        }

        @Override
        public double bursts(int entities, int rounds) throws Exception {
            int id = ROUND.incrementAndGet();
            List<ActorRef<Baseline.Go>> refs = spawnAndAsk(system, entities, "bursts-" + id, "peek", obligations);
            long start = System.nanoTime();
            Window window = Window.open();
            long issuing = 0;
            for (int r = 0; r < rounds; r++) {
                List<CompletionStage<?>> round = new ArrayList<>(entities);
                long issued = System.nanoTime();
                refs.forEach(ref -> round.add(ask(system, ref, "go")));
                issuing += System.nanoTime() - issued;
                awaitAll(round);
            }
            double rate = elapsedRate(start, entities * (double) rounds);
            window.print(obligations ? "obligations" : "hand-written", entities * (long) rounds, issuing);
            ScaleBenchmark.stopAndWait(refs);
            return rate;
        }

        @Override
        public double recover(int n) throws Exception {
            ActorSystem<Void> fresh = DurableBenchmark.system(config);
            try {
                long start = System.nanoTime();
                spawnAndAsk(fresh, n, "start", "peek");
                return elapsedRate(start, n);
            } finally {
                fresh.terminate();
                fresh.getWhenTerminated().toCompletableFuture().get();
            }
        }

        /** Spawns N baselines with persistence ids {@code durable-<ids>-<i>}; waits for each one's answer. */
        private static List<ActorRef<Baseline.Go>> spawnAndAsk(ActorSystem<?> system, int n, String ids,
                                                               String event) throws Exception {
            return spawnAndAsk(system, n, ids, event, false);
        }

        /** {@code obligations}: {@link Baseline#withObligations}. */
        private static List<ActorRef<Baseline.Go>> spawnAndAsk(ActorSystem<?> system, int n, String ids,
                                                               String event, boolean obligations)
                throws Exception {
            int round = ROUND.incrementAndGet();
            List<ActorRef<Baseline.Go>> refs = new ArrayList<>(n);
            List<CompletionStage<?>> answers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ActorRef<Baseline.Go> ref = Adapter.spawn(Adapter.toClassic(system),
                        obligations ? Baseline.withObligations("durable-" + ids + "-" + i, "")
                                : Baseline.create("durable-" + ids + "-" + i, ""), "durable-" + round + "-" + i);
                refs.add(ref);
                answers.add(ask(system, ref, event));
            }
            awaitAll(answers);
            return refs;
        }

        private static CompletionStage<Baseline.State> ask(ActorSystem<?> system, ActorRef<Baseline.Go> ref,
                                                           String event) {
            return AskPattern.ask(ref, reply -> new Baseline.Go(event, reply), ASK_TIMEOUT, system.scheduler());
        }
    }

    /**
     * Bytes per stored event: on the file journal the size of one event's record (Finitomata's transition event, the
     * hand-written {@code Moved}); on PostgreSQL the average row size of each contender's events; none on ETS.
     */
    private static double[] bytesPerEvent(ActorSystem<?> system, EmbeddedPg pg, String database) throws Exception {
        var serialization = SerializationExtension.get(Adapter.toClassic(system));
        Object ours = Event.Transitioned.of("a", "go", "b", new PingPong.Ball(42), 1,
                System.currentTimeMillis());
        Object theirs = new Baseline.Moved("b", new PingPong.Ball(42));
        double[] bytes = new double[5];
        bytes[4] = Double.NaN; // the ETS store keeps the objects themselves
        bytes[0] = recordBytes(serialization, "fsm|durable|PingPong|d1", ours);
        bytes[1] = recordBytes(serialization, "durable-start-1", theirs);
        try (Connection c = DriverManager.getConnection(pg.url(database), EmbeddedPg.USER, EmbeddedPg.PASSWORD);
             PreparedStatement s = c.prepareStatement(
                     "SELECT avg(pg_column_size(j.*)) FROM event_journal j WHERE persistence_id LIKE ?")) {
            String[] patterns = {"fsm|%", "durable-%"};
            for (int i = 0; i < 2; i++) {
                s.setString(1, patterns[i]);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    bytes[2 + i] = r.getDouble(1);
                }
            }
        }
        return bytes;
    }

    private static double recordBytes(org.apache.pekko.serialization.Serialization serialization, String pid,
                                      Object event) throws Exception {
        var serializer = serialization.findSerializerFor(event);
        var blob = new dev.finitomata.persistence.file.internal.RecordFormat.Blob(serializer.identifier(),
                org.apache.pekko.serialization.Serializers.manifestFor(serializer, event), serializer.toBinary(event));
        var stored = new dev.finitomata.persistence.file.internal.RecordFormat.StoredEvent(1,
                System.currentTimeMillis(), java.util.UUID.randomUUID().toString(), "", blob, null);
        return dev.finitomata.persistence.file.internal.RecordFormat.events(pid, List.of(stored)).remaining();
    }
}
