package dev.finitomata.sharding.it;

import static dev.finitomata.sharding.it.ClusterProbes.await;
import static dev.finitomata.sharding.it.ClusterProbes.forAll;
import static dev.finitomata.sharding.it.ClusterProbes.forAllCounting;
import static dev.finitomata.sharding.it.ClusterProbes.sleep;

import dev.finitomata.FsmError;
import dev.finitomata.FsmState;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.persistence.jdbc.CrashablePg;
import dev.finitomata.sharding.Infinitomata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * A database outage under load, on a {@link RealCluster} over a {@link CrashablePg}: jobs and tickers run, some
 * jobs take awaited transitions in a loop, some have a delayed transition that falls due during the outage; then
 * PostgreSQL crashes ({@code pg_ctl stop -m immediate}) and comes back after {@code outage}. What it measures: how
 * soon after the database is back every looping FSM writes again, every due delay fires and every ticker ticks; how
 * long the calls made during the outage took to fail and how they failed; ERROR and WARN lines of the nodes; and that
 * nothing acknowledged was lost. Shared by {@code OutageTest} and {@code -Dbench=Outage}.
 */
public final class OutageScenario {

    /** What one outage did. Times in seconds after the database accepted connections again. */
    public record Result(Duration outage, List<Double> writableAgain, List<Double> delaysFired,
                         List<Double> tickedAgain, int callsFailed, double slowestFailure, int timeouts,
                         Map<String, Long> failedBy, Map<String, Integer> errorLines, Map<String, Integer> warnLines,
                         Map<String, Integer> poolLines, int lost, int delayedTwice, List<String> logSample,
                         double slowestSuccessBefore) {

        public String summary() {
            return String.format(Locale.ROOT, """
                    outage of %d s: writable again after %s (first / median / last, %d FSMs); due delays fired \
                    after %s; tickers ticked again after %s
                      during it: %d calls failed, the slowest after %.2f s, %d ask timeouts; by cause %s \
                    (the slowest success in the 3 s before the crash took %.2f s)
                      ERROR lines per node %s, WARN lines per node %s (and HikariCP's, one per broken \
                    connection: %s); lost %d acknowledged transitions, %d delays fired twice""", outage.toSeconds(), ClusterProbes.firstMedianLast(writableAgain),
                    writableAgain.size(), ClusterProbes.firstMedianLast(delaysFired),
                    ClusterProbes.firstMedianLast(tickedAgain), callsFailed, slowestFailure, timeouts, failedBy,
                    slowestSuccessBefore, errorLines, warnLines, poolLines, lost, delayedTwice);
        }
    }

    private final RealCluster cluster;
    private final CrashablePg pg;
    private final int jobs;
    private final int tickers;
    private final int loopers;
    private final int delayed;

    public OutageScenario(RealCluster cluster, CrashablePg pg, int jobs, int tickers, int loopers, int delayed) {
        this.cluster = cluster;
        this.pg = pg;
        this.jobs = jobs;
        this.tickers = tickers;
        this.loopers = loopers;
        this.delayed = delayed;
    }

    /** Starts the FSMs (once per cluster). */
    public OutageScenario prepare() {
        Infinitomata<LoadFsm.Load> fsms = cluster.fsms();
        forAllCounting(names(), n -> fsms.start(n, new LoadFsm.Load(0, 0, 0, n.startsWith("ticker-"))));
        forAll(names(), n -> fsms.transitionAndWait(n, "start", null));
        return this;
    }

    private List<String> names() {
        List<String> names = new ArrayList<>(jobNames());
        IntStream.range(0, tickers).forEach(i -> names.add("ticker-" + i));
        return names;
    }

    private List<String> jobNames() {
        return IntStream.range(0, jobs).mapToObj(i -> "job-" + i).toList();
    }

    /** Crashes the database for {@code outage} under load, and measures how the cluster comes through it. */
    public Result run(Duration outage, Duration patience) throws InterruptedException {
        Infinitomata<LoadFsm.Load> fsms = cluster.fsms();
        List<String> jobNames = jobNames();
        List<String> looping = jobNames.subList(0, loopers);
        List<String> delaying = jobNames.subList(loopers, loopers + delayed);
        List<String> tickerNames = IntStream.range(0, tickers).mapToObj(i -> "ticker-" + i).toList();
        Map<String, Integer> delayedBefore = new ConcurrentHashMap<>();
        forAll(delaying, n -> fsms.state(n).thenAccept(s -> delayedBefore.put(n, s.orElseThrow().payload().delayed())));
        // due in the middle of the outage; persisted before the awaited transition behind it is answered
        delaying.forEach(n -> fsms.transition(n, "delayed", null, Duration.ofMillis(500).plus(outage.dividedBy(2))));
        forAll(delaying, n -> fsms.transitionAndWait(n, "work", null));
        Map<String, Integer> errorsBefore = count(cluster, "ERROR");
        Map<String, Integer> warnsBefore = count(cluster, "WARN");
        Map<String, Integer> poolBefore = poolWarnings(cluster);

        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        Map<String, Long> lastSuccess = new ConcurrentHashMap<>();
        Map<String, Long> failedBy = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        AtomicLong slowestFailure = new AtomicLong();
        AtomicBoolean loading = new AtomicBoolean(true);
        List<String> slowSamples = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong crashed = new AtomicLong(Long.MAX_VALUE);
        Map<Long, Long> slowestSuccess = new ConcurrentHashMap<>();
        AtomicLong returned = new AtomicLong(Long.MAX_VALUE);
        List<Thread> threads = new ArrayList<>();
        for (String n : looping) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (loading.get()) {
                    long sent = System.nanoTime();
                    try {
                        FsmState<LoadFsm.Load> s = fsms.transitionAndWait(n, "work", null).toCompletableFuture()
                                .get(30, TimeUnit.SECONDS);
                        acknowledged.merge(n, s.payload().works(), Math::max);
                        long now = System.nanoTime();
                        lastSuccess.put(n, now);
                        // the slowest success per 100 ms of completion, to compare the failures with
                        slowestSuccess.merge(now / 100_000_000L, now - sent, Math::max);
                    } catch (Exception e) {
                        Throwable cause = e instanceof java.util.concurrent.ExecutionException
                                || e instanceof CompletionException ? e.getCause() : e;
                        failures.incrementAndGet();
                        long took = System.nanoTime() - sent;
                        slowestFailure.accumulateAndGet(took, Math::max);
                        if (took > TimeUnit.SECONDS.toNanos(1) && slowSamples.size() < 5) {
                            slowSamples.add(String.format(Locale.ROOT, "%.2f s, sent %s: %s", took / 1e9,
                                    when(sent, crashed.get(), returned.get()), cause));
                        }
                        if (cause instanceof java.util.concurrent.TimeoutException
                                || String.valueOf(cause).contains("AskTimeoutException")) {
                            timeouts.incrementAndGet();
                        }
                        failedBy.merge(describe(cause), 1L, Long::sum);
                        sleep(100);
                    }
                    sleep(100);
                }
            }));
        }
        sleep(1_000);
        Map<String, Integer> ticksBefore = new ConcurrentHashMap<>();
        forAll(tickerNames, n -> fsms.state(n).thenAccept(s -> ticksBefore.put(n, s.orElseThrow().payload().ticks())));
        crashed.set(System.nanoTime());
        pg.crash();
        long crashedAt = System.nanoTime();
        sleep(outage.toMillis());
        pg.restart();
        long back = System.nanoTime();
        returned.set(back);
        double downFor = (back - crashedAt) / 1e9;

        // the three are watched together, from the moment the database is back
        var writing = java.util.concurrent.CompletableFuture.supplyAsync(() -> until(looping, patience, back,
                n -> lastSuccess.getOrDefault(n, 0L) > back), Thread::startVirtualThread);
        var firing = java.util.concurrent.CompletableFuture.supplyAsync(() -> until(delaying, patience, back,
                n -> fsms.state(n).toCompletableFuture().orTimeout(2, TimeUnit.SECONDS).join()
                        .map(s -> s.payload().delayed() > delayedBefore.get(n)).orElse(false)),
                Thread::startVirtualThread);
        // a tick may have been written between the read and the crash: one more than that is a tick after the outage
        var ticking = java.util.concurrent.CompletableFuture.supplyAsync(() -> until(tickerNames, patience, back,
                n -> fsms.state(n).toCompletableFuture().orTimeout(2, TimeUnit.SECONDS).join()
                        .map(s -> s.payload().ticks() > ticksBefore.get(n) + 1).orElse(false)),
                Thread::startVirtualThread);
        List<Double> writable = writing.join();
        List<Double> fired = firing.join();
        List<Double> ticked = ticking.join();
        loading.set(false);
        for (Thread t : threads) {
            t.join();
        }
        int lost = 0;
        for (String n : looping) {
            Optional<FsmState<LoadFsm.Load>> now = await(fsms.state(n));
            if (now.isEmpty() || now.get().payload().works() < acknowledged.getOrDefault(n, 0)) {
                lost++;
            }
        }
        int twice = 0;
        for (String n : delaying) {
            if (await(fsms.state(n)).orElseThrow().payload().delayed() > delayedBefore.get(n) + 1) {
                twice++;
            }
        }
        Map<String, Integer> errors = since(count(cluster, "ERROR"), errorsBefore);
        Map<String, Integer> warns = since(count(cluster, "WARN"), warnsBefore);
        Map<String, Integer> pool = since(poolWarnings(cluster), poolBefore);
        List<String> sample = cluster.nodes().stream().flatMap(node -> node.lines("ERROR").stream()
                .skip(errorsBefore.getOrDefault(node.label(), 0)).limit(3)).toList();
        System.out.printf(Locale.ROOT, "database down for %.1f s%n", downFor);
        slowSamples.forEach(l -> System.out.println("  a slow failure: " + l));
        return new Result(outage, writable, fired, ticked, failures.get(), slowestFailure.get() / 1e9,
                timeouts.get(), failedBy, errors, warns, pool, lost, twice, sample,
                slowestSuccess.entrySet().stream().filter(e -> e.getKey() < crashedAt / 100_000_000L
                        && e.getKey() >= (crashedAt - TimeUnit.SECONDS.toNanos(3)) / 100_000_000L)
                        .mapToLong(Map.Entry::getValue).max().orElse(0) / 1e9);
    }

    /** When a call sent at {@code sent} was sent, relative to the crash and the return. */
    private static String when(long sent, long crashed, long returned) {
        return sent < crashed ? String.format(Locale.ROOT, "%.2f s before the crash", (crashed - sent) / 1e9)
                : sent < returned ? String.format(Locale.ROOT, "%.2f s after the crash", (sent - crashed) / 1e9)
                : String.format(Locale.ROOT, "%.2f s after the return", (sent - returned) / 1e9);
    }

    private static String describe(Throwable cause) {
        if (cause instanceof FsmTransitionException e) {
            FsmError.Stage stage = e.error().stage();
            return stage.name();
        }
        return cause.getClass().getSimpleName();
    }

    /**
     * Polls every name until {@code done} holds for it; answers the seconds from {@code since} to each one's first
     * success, sorted. @throws AssertionError if some did not within {@code patience}
     */
    private static List<Double> until(List<String> names, Duration patience, long since,
                                      java.util.function.Predicate<String> done) {
        Map<String, Double> at = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + patience.toNanos();
        while (at.size() < names.size()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError((names.size() - at.size()) + " of " + names.size() + " did not within "
                        + patience + ", e.g. " + names.stream().filter(n -> !at.containsKey(n)).limit(5).toList());
            }
            try (var round = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                names.stream().filter(n -> !at.containsKey(n)).forEach(n -> round.submit(() -> {
                    try {
                        if (done.test(n)) {
                            at.put(n, (System.nanoTime() - since) / 1e9);
                        }
                    } catch (RuntimeException notYet) {
                        // asked again
                    }
                }));
            }
            sleep(100);
        }
        List<Double> seconds = new ArrayList<>(at.values());
        Collections.sort(seconds);
        return seconds;
    }

    /**
     * The lines at {@code level} per node, but HikariCP's: the pool logs one WARN per pooled connection the crash
     * broke (20 per node), whatever the FSMs do ({@link Result#poolLines}).
     */
    private static Map<String, Integer> count(RealCluster cluster, String level) {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        cluster.nodes().forEach(n -> counts.put(n.label(), (int) n.lines(level).stream()
                .filter(l -> !l.contains("hikari")).count()));
        return counts;
    }

    private static Map<String, Integer> poolWarnings(RealCluster cluster) {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        cluster.nodes().forEach(n -> counts.put(n.label(), (int) n.lines("WARN").stream()
                .filter(l -> l.contains("hikari")).count()));
        return counts;
    }

    private static Map<String, Integer> since(Map<String, Integer> now, Map<String, Integer> before) {
        Map<String, Integer> diff = new java.util.LinkedHashMap<>();
        now.forEach((k, v) -> diff.put(k, v - before.getOrDefault(k, 0)));
        return diff;
    }
}
