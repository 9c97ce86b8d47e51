package dev.finitomata.benchmarks;

import com.typesafe.config.Config;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.StartResult;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.local.LocalFsms;
import dev.finitomata.persistence.file.FilePersistence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Issue 26, point 6, on one node: N stored FSMs on the fsync'd file journal, each with a pending delay scheduled from
 * inside the FSM (an order that expires by itself), measured as the issue asks: heap per FSM,
 * disk per FSM, start rate, the latency of touching a random idle FSM, the lateness of delays that fall due during
 * the run, and a restart: a new ActorSystem on the same directory, how long until the FSMs serve, and whether a delay
 * that fell due while the node was down fires without the application starting its FSM.
 *
 * <p>Arguments: {@code [N] [passivate=2s] [histogram]} (default 100,000; {@code histogram} prints the heap's largest
 * classes where the heap is measured; {@code passivate} sets
 * {@code finitomata.passivate-idle-after}, {@code 0s} keeps every FSM live). Of the N FSMs, 1,000 expire 20 s after
 * their start ("due during the run") and 1,000 expire 5 s after theirs, a moment after which the ActorSystem is
 * stopped ("due while down"); the rest expire after an hour. With passivation on, the heap is measured once every FSM
 * has passivated, and touching a random FSM wakes it from the journal. Run with a heap large enough for the FSMs
 * while they start ({@code -Dbench.heap=-Xmx12g} for 1,000,000).
 */
public final class IdleBenchmark {

    static final int SOON = 1_000;
    private static final int IN_FLIGHT = 10_000;

    private IdleBenchmark() {
    }

    /** An order that expires by itself: its own delayed {@code expire}, scheduled by its entry transition. */
    public static final class Order extends FsmBehavior<Order.Due> {

        /** When the order expires (epoch milliseconds). */
        public record Due(long atMillis) {
        }

        static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                [*] --> waiting : place
                waiting --> expired : expire
                waiting --> paid : pay
                expired --> [*] : close
                paid --> [*] : close
                """);

        /** How many Order instances were built (an FSM recovering from its journal builds one). */
        static final java.util.concurrent.atomic.AtomicLong BUILT = new java.util.concurrent.atomic.AtomicLong();

        public Order(FsmContext context) {
            super(context);
            BUILT.incrementAndGet();
        }

        @Override
        protected FsmDefinition definition() {
            return DEFINITION;
        }

        @Override
        protected Set<String> internalEvents() {
            return Set.of("expire");
        }

        @Override
        protected Transition<Due> onTransition(String state, String event, Object eventPayload, Due due)
                throws Exception {
            if (event.equals("place")) {
                long in = Math.max(0, due.atMillis() - System.currentTimeMillis());
                return Transition.to("waiting", due).schedule("expiry", "expire", null, Duration.ofMillis(in));
            }
            return super.onTransition(state, event, eventPayload, due);
        }
    }

    public static void main(String[] args) throws Exception {
        exitAfter(() -> run(args));
    }

    /** What a benchmark's main does. */
    @FunctionalInterface
    interface Run {
        void run() throws Exception;
    }

    /** Runs {@code run} and exits, 1 if it failed: an ActorSystem left running would keep the JVM alive. */
    static void exitAfter(Run run) {
        int status = 0;
        try {
            run.run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    /** The {@code passivate=} argument (default 2s). */
    static String passivateArg(String[] args) {
        return Arrays.stream(args).filter(a -> a.startsWith("passivate=")).findFirst()
                .map(a -> a.substring("passivate=".length())).orElse("2s");
    }

    /**
     * Starts {@code rest} orders due in an hour ({@code o<i>}), then the 1,000 "soon" ones due in 20 s; adds the start
     * rate to {@code rows} and answers when the soon ones are due.
     */
    static long place(FsmSupervisor<Order.Due> orders, int rest, List<String[]> rows) throws Exception {
        long hour = System.currentTimeMillis() + Duration.ofHours(1).toMillis();
        long t0 = System.nanoTime();
        throttled(rest, i -> orders.start("o" + i, new Order.Due(hour)));
        double startRate = rest / ((System.nanoTime() - t0) / 1e9);
        long soonDue = System.currentTimeMillis() + 20_000;
        throttled(SOON, i -> orders.start("soon" + i, new Order.Due(soonDue)));
        rows.add(row("FSMs started/s (awaited, 10,000 in flight, from a cold JVM)", String.format("%,.0f /s",
                startRate), "n/a"));
        return soonDue;
    }

    private static void run(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String passivate = passivateArg(args);
        boolean passivates = !com.typesafe.config.ConfigFactory.parseString("d = " + passivate).getDuration("d")
                .isZero();
        Path dir = Bench.scratchDir("finitomata-idle");
        Config config = com.typesafe.config.ConfigFactory.parseString("finitomata.passivate-idle-after = "
                + passivate).withFallback(FilePersistence.config(dir));
        System.out.println(Bench.machine());
        List<String[]> rows = new ArrayList<>();

        ActorSystem<Void> first = system(config, 1);
        Finitomata<Order.Due> orders = Finitomata.create(first, "idle", Order.class, Order::new);
        long heapBefore = Bench.usedHeap();
        int rest = n - 2 * SOON;
        long soonDue = place(orders, rest, rows);
        LocalFsms<Order.Due> engine = LocalFsms.of(orders);
        whileIdle(orders, passivates ? engine::passivated : null, rest, soonDue, rows);
        long heapPerFsm = (Bench.usedHeap() - heapBefore) / (rest + SOON);
        histogram(args, passivates ? "all passivated" : "all live");
        rows.add(row("heap per stored idle FSM with a pending delay, " + (passivates ? "passivated (journal index "
                + "and wake schedule included)" : "live (journal index included)"),
                String.format("%,d B", heapPerFsm), "<= 600 B"));
        // the 'down' orders fall due 5 s after their start: the node stops before that
        long downDue = System.currentTimeMillis() + 5_000;
        throttled(SOON, i -> orders.start("down" + i, new Order.Due(downDue)));
        long stopping = System.currentTimeMillis();
        first.terminate();
        first.getWhenTerminated().toCompletableFuture().get();
        System.out.printf("  the first node took %,d ms to stop; the 'down' orders were due %,d ms after it began%n",
                System.currentTimeMillis() - stopping, downDue - stopping);
        rows.add(row("disk per FSM (one start event with its delay)", String.format("%,d B", size(dir) / n), "n/a"));
        long wait = Math.max(soonDue, downDue) + 1_000 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait); // both groups are overdue now; nothing runs
        }

        long heapDown = Bench.usedHeap();
        long restart = System.nanoTime();
        long restartedAt = System.currentTimeMillis();
        ActorSystem<Void> second = system(config, 2);
        Finitomata<Order.Due> again = Finitomata.create(second, "idle", Order.class, Order::new);
        boolean serves = again.state("o" + ThreadLocalRandom.current().nextInt(rest)).toCompletableFuture().get()
                .isPresent();
        double facadeMillis = (System.nanoTime() - restart) / 1e6;
        rows.add(row("after a restart, the facade answers (a random FSM not due for an hour: "
                + (serves ? "running" : "not running until started") + ")", String.format("%.0f ms", facadeMillis),
                "within 30 s"));
        // nobody starts anything: the wake index brings back the 'down' orders, overdue, and they expire
        List<Long> unstarted = lateness(again, "down", downDue);
        long lastFired = unstarted.isEmpty() ? -1 : downDue + unstarted.get(unstarted.size() - 1) - restartedAt;
        rows.add(row("delays due while the node was down, fired without a start",
                String.format("%,d of %,d; the last %,d ms after the restart began", unstarted.size(), SOON,
                        lastFired), "all, <= 1 s after the restart"));
        long heapIndexed = (Bench.usedHeap() - heapDown) / n;
        histogram(args, "after the restart, none started");
        rows.add(row("heap per stored FSM after the restart, none started (the wake index in memory)",
                String.format("%,d B", heapIndexed), "<= 600 B"));
        long reload = System.nanoTime();
        throttled(n, i -> again.start(i < rest ? "o" + i : i < rest + SOON ? "soon" + (i - rest)
                : "down" + (i - rest - SOON), new Order.Due(0)).thenAccept(r -> {
                    if (r != StartResult.LOADED && r != StartResult.ALREADY_STARTED) {
                        throw new IllegalStateException("not loaded: " + r);
                    }
                }));
        double reloadSeconds = (System.nanoTime() - reload) / 1e9;
        rows.add(row("for comparison: the application starts every FSM again (LOADED; the woken ones answer "
                + "ALREADY_STARTED)", String.format("%.1f s (%,.0f FSMs/s)", reloadSeconds, n / reloadSeconds),
                "not needed"));
        long firedTwice = expired(again, "down", SOON).size() - SOON;
        rows.add(row("'down' delays fired more than once, after the starts", String.format("%,d", firedTwice), "0"));
        second.terminate();
        second.getWhenTerminated().toCompletableFuture().get();

        printTable(String.format("Idle FSMs on one node: %,d stored FSMs, file journal (fsync'd), each with a pending "
                + "delay; passivate-idle-after = %s", n, passivate), rows);
    }

    /** Prints {@code rows} as the Markdown table of a benchmark's results, under {@code title}. */
    static void printTable(String title, List<String[]> rows) {
        System.out.println();
        System.out.println("## " + title);
        System.out.println(Bench.machine());
        System.out.println("| metric | measured | issue 26 target |");
        System.out.println("|---|---|---|");
        rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
    }

    /**
     * Once the orders of {@link #place} are in: waits until every one is passivated ({@code passivated} counts them;
     * null: passivation is off), then adds the rows of touching a random idle FSM and of the soon orders' lateness,
     * and waits again until every one is passivated (after the delays fired: the full collections that measuring the
     * heap takes would delay them; and once the starts' and touches' cancelled ask timeouts have left Pekko's
     * scheduler, which keeps them until they would have run).
     */
    static void whileIdle(FsmSupervisor<Order.Due> orders, LongSupplier passivated, int rest, long soonDue,
                          List<String[]> rows) throws Exception {
        boolean passivates = passivated != null;
        if (passivates) {
            long asleep = System.nanoTime();
            awaitPassivated(passivated, rest + SOON);
            System.out.printf("  all %,d FSMs passivated %,d ms after the last start%n", rest + SOON,
                    (System.nanoTime() - asleep) / 1_000_000);
        }
        long[] touch = touchLatencies(orders, rest, 10_000);
        rows.add(row("touching a random idle FSM (state)" + (passivates ? ", which wakes it from the journal" : "")
                + ", p50 / p99", String.format("%.2f / %.2f ms", touch[0] / 1e6, touch[1] / 1e6), "p99 <= 20 ms"));
        List<Long> soonLate = lateness(orders, "soon", soonDue);
        rows.add(row("delays due during the run (1,000 at once" + (passivates ? ", passivated until woken" : "")
                + "): fired, lateness p50 / max", latenessOf(soonLate), "<= 1 s"));
        if (passivates) {
            awaitPassivated(passivated, rest + SOON);
        }
    }

    private static void awaitPassivated(LongSupplier passivated, int count) throws InterruptedException {
        while (passivated.getAsLong() < count) {
            Thread.sleep(200);
        }
    }

    /** With the argument {@code histogram}: the heap's 25 largest classes now (jcmd GC.class_histogram). */
    static void histogram(String[] args, String when) throws Exception {
        if (!Arrays.asList(args).contains("histogram")) {
            return;
        }
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        // into a file: this JVM writes the histogram at a safepoint, so it could not read a pipe meanwhile
        Path out = Files.createTempFile("histogram", ".txt");
        new ProcessBuilder(java.resolveSibling("jcmd").toString(), Long.toString(ProcessHandle.current().pid()),
                "GC.class_histogram").redirectErrorStream(true).redirectOutput(out.toFile()).start().waitFor();
        List<String> lines = Files.readAllLines(out);
        Files.delete(out);
        System.out.println("  heap histogram, " + when + ":");
        lines.stream().skip(1).limit(28).forEach(l -> System.out.println("    " + l));
    }

    static String[] row(String metric, String value, String target) {
        System.out.println("  " + metric + ": " + value);
        return new String[] {metric, value, target};
    }

    private static ActorSystem<Void> system(Config config, int incarnation) {
        return Adapter.toTyped(org.apache.pekko.actor.ActorSystem.create("idle-" + incarnation,
                Bench.config(config.root().render())));
    }

    /** Runs {@code call(i)} for i in [0, count) with at most {@link #IN_FLIGHT} unanswered; waits for all. */
    static void throttled(int count, IntFunction<CompletionStage<?>> call) throws Exception {
        throttled(count, IN_FLIGHT, call);
    }

    /** Runs {@code call(i)} for i in [0, count) with at most {@code inFlight} unanswered; waits for all. */
    static void throttled(int count, int inFlight, IntFunction<CompletionStage<?>> call) throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        List<CompletableFuture<?>> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            slots.acquire();
            CompletableFuture<?> f = call.apply(i).toCompletableFuture();
            f.whenComplete((x, e) -> slots.release());
            if (i % 1_000 == 0) {
                failures.add(f);
            }
        }
        slots.acquire(inFlight);
        CompletableFuture.allOf(failures.toArray(CompletableFuture[]::new)).get();
    }

    /** p50 and p99 (nanoseconds) of {@code count} reads of random FSMs, one at a time. */
    static long[] touchLatencies(FsmSupervisor<Order.Due> orders, int among, int count) throws Exception {
        long[] took = new long[count];
        for (int i = 0; i < count; i++) {
            long before = System.nanoTime();
            if (orders.state("o" + ThreadLocalRandom.current().nextInt(among)).toCompletableFuture().get()
                    .isEmpty()) {
                throw new IllegalStateException("an idle FSM does not run");
            }
            took[i] = System.nanoTime() - before;
        }
        Arrays.sort(took);
        return new long[] {took[count / 2], took[count * 99 / 100]};
    }

    /** The {@code expire} entries in the histories of {@code prefix}0 .. {@code prefix}(count - 1). */
    static List<FsmHistoryEntry<Order.Due>> expired(FsmSupervisor<Order.Due> orders, String prefix, int count)
            throws Exception {
        List<CompletableFuture<List<FsmHistoryEntry<Order.Due>>>> reads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            reads.add(orders.history(prefix + i).toCompletableFuture());
        }
        List<FsmHistoryEntry<Order.Due>> found = new ArrayList<>();
        for (CompletableFuture<List<FsmHistoryEntry<Order.Due>>> read : reads) {
            read.get().stream().filter(e -> e.event().equals("expire")).forEach(found::add);
        }
        return found;
    }

    /** How late (ms) each of the group's delays fired, once all fired or 30 s have passed; sorted. */
    static List<Long> lateness(FsmSupervisor<Order.Due> orders, String prefix, long due) throws Exception {
        long until = System.currentTimeMillis() + 30_000;
        List<FsmHistoryEntry<Order.Due>> fired = expired(orders, prefix, SOON);
        while (fired.size() < SOON && System.currentTimeMillis() < until) {
            Thread.sleep(500);
            fired = expired(orders, prefix, SOON);
        }
        return fired.stream().map(e -> e.at().toEpochMilli() - due).sorted().toList();
    }

    static String latenessOf(List<Long> late) {
        if (late.isEmpty()) {
            return "none fired";
        }
        return String.format("%,d of %,d fired; %,d / %,d ms", late.size(), SOON, late.get(late.size() / 2),
                late.get(late.size() - 1));
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
