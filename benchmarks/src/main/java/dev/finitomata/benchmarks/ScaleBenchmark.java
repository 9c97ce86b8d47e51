package dev.finitomata.benchmarks;

import dev.finitomata.Finitomata;
import dev.finitomata.StartResult;
import dev.finitomata.persistence.ets.Ets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Many live FSMs on one node, against the hand-written EventSourcedBehavior holding the same payload, in the same
 * run. For each size: FSMs started per second (start, i.e. spawn + recovery of an empty journal, awaited), heap per
 * live idle FSM after one transition each (journal storage included), and FSMs started per second again after all
 * were stopped (spawn + recovery of their events). Finitomata runs on the ETS store, the baseline on Pekko's inmem
 * journal, and its start is spawn + a first reply (which Pekko sends once recovery is done).
 * Arguments: sizes (default {@code 10000 100000 1000000}); sizes above {@value #BASELINE_UP_TO} run Finitomata only,
 * once.
 */
public final class ScaleBenchmark {

    static final int BASELINE_UP_TO = 100_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String INMEM = "pekko.persistence.journal.inmem";
    private static final AtomicInteger ROUND = new AtomicInteger();

    /**
     * One measured run: fresh starts/s, heap bytes per live FSM, starts/s with recovery, and (baseline only) fresh
     * starts/s when the first message persists an event, as Finitomata's start persists the initial state.
     */
    record Run(double startRate, double heapPerFsm, double recoveryRate, double startPersistRate) {
    }

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                : new int[] {10_000, 100_000, 1_000_000};
        {
            Bench.Table table = new Bench.Table("Live FSMs on one node: Finitomata on ETS vs hand-written"
                    + " EventSourcedBehavior on inmem (same payload)");
            int warmUp = Math.min(BASELINE_UP_TO, Arrays.stream(sizes).max().orElse(10_000));
            for (int i = 0; i < 2; i++) { // the start path takes a few rounds to be compiled
                ours(warmUp);
                baseline(warmUp);
            }
            for (int n : sizes) {
                boolean withBaseline = n <= BASELINE_UP_TO;
                Run[] runs = medians(withBaseline ? 3 : 1, () -> ours(n), withBaseline ? () -> baseline(n) : null);
                Run ours = runs[0];
                String size = String.format(Locale.ROOT, "%,d FSMs", n);
                if (withBaseline) {
                    Run base = runs[1];
                    table.row(size + ": started/s (spawn + recovery, empty journal)", ours.startRate(),
                            "hand-written", base.startRate(), true, "/s");
                    table.row(size + ": (same, hand-written persisting its first event, as start does)",
                            ours.startRate(), "hand-written", base.startPersistRate(), true, "/s");
                    table.row(size + ": started/s again after a stop (recovery of 2 events each)",
                            ours.recoveryRate(), "hand-written", base.recoveryRate(), true, "/s");
                    table.row(size + ": heap per live idle FSM", ours.heapPerFsm(), "hand-written",
                            base.heapPerFsm(), false, "B");
                } else {
                    table.row(size + ": started/s (one run)", ours.startRate(), "/s");
                    table.row(size + ": started/s again after a stop", ours.recoveryRate(), "/s");
                    table.row(size + ": heap per live idle FSM", ours.heapPerFsm(), "B");
                    table.row(size + ": heap for all of them", ours.heapPerFsm() * n / (1 << 20), "MiB");
                }
            }
            table.print();
        }
    }

    /**
     * A fresh ActorSystem for one contender's round, terminated when the round is done: nothing of one round (actors
     * still stopping after their stop was answered) is alive when the next measures its heap.
     */
    private interface InSystem {
        Run run(ActorSystem<Void> system) throws Exception;
    }

    private static Run inFreshSystem(InSystem round) throws Exception {
        ActorSystem<Void> system = Bench.etsSystem("scale-bench-" + ROUND.incrementAndGet(),
                "finitomata.ask-timeout = 10m");
        try {
            return round.run(system);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
    }

    private interface RunBody {
        Run run() throws Exception;
    }

    /**
     * Runs Finitomata and (unless null) the baseline in turn, {@code runs} times; answers the median of each figure
     * for each.
     */
    private static Run[] medians(int runs, RunBody ours, RunBody baseline) throws Exception {
        List<RunBody> bodies = baseline == null ? List.of(ours) : List.of(ours, baseline);
        double[][][] figures = new double[bodies.size()][4][runs];
        for (int i = 0; i < runs; i++) {
            for (int b = 0; b < bodies.size(); b++) {
                Run r = bodies.get(b).run();
                System.out.printf(Locale.ROOT, "  %s run %d: started %,.0f/s, heap %,.0f B/FSM, restarted %,.0f/s,"
                        + " started persisting %,.0f/s%n", b == 0 ? "Finitomata" : "hand-written", i + 1,
                        r.startRate(), r.heapPerFsm(), r.recoveryRate(), r.startPersistRate());
                figures[b][0][i] = r.startRate();
                figures[b][1][i] = r.heapPerFsm();
                figures[b][2][i] = r.recoveryRate();
                figures[b][3][i] = r.startPersistRate();
            }
        }
        Run[] medians = new Run[bodies.size()];
        for (int b = 0; b < bodies.size(); b++) {
            for (double[] f : figures[b]) {
                Arrays.sort(f);
            }
            medians[b] = new Run(figures[b][0][runs / 2], figures[b][1][runs / 2], figures[b][2][runs / 2],
                    figures[b][3][runs / 2]);
        }
        return medians;
    }

    static Run ours(int n) throws Exception {
        return inFreshSystem(system -> ours(system, n));
    }

    static Run baseline(int n) throws Exception {
        return inFreshSystem(system -> baseline(system, n));
    }

    static Run ours(ActorSystem<?> system, int n) throws Exception {
        Ets.table().clear();
        long before = Bench.usedHeap();
        Finitomata<PingPong.Ball> sup = Finitomata.create(system, "scale-" + ROUND.incrementAndGet(),
                PingPong.class, PingPong::new);
        double startRate = startAll(sup, n, StartResult.STARTED);
        List<CompletableFuture<?>> moves = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            moves.add(sup.transitionAndWait("p" + i, "go", null).toCompletableFuture());
        }
        awaitAll(moves);
        double heap = (Bench.usedHeap() - before) / (double) n;
        stopAll(sup, n);
        double recoveryRate = startAll(sup, n, StartResult.LOADED);
        stopAll(sup, n);
        return new Run(startRate, heap, recoveryRate, Double.NaN);
    }

    private static double startAll(Finitomata<PingPong.Ball> sup, int n, StartResult expected) throws Exception {
        AtomicInteger unexpected = new AtomicInteger();
        List<CompletableFuture<?>> starts = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            starts.add(sup.start("p" + i, new PingPong.Ball(0)).thenAccept(r -> {
                if (r != expected) {
                    unexpected.incrementAndGet();
                }
            }).toCompletableFuture());
        }
        awaitAll(starts);
        double rate = n / ((System.nanoTime() - start) / 1e9);
        if (unexpected.get() > 0) {
            throw new IllegalStateException(unexpected.get() + " of " + n + " starts did not answer " + expected);
        }
        return rate;
    }

    private static void stopAll(Finitomata<?> sup, int n) throws Exception {
        List<CompletableFuture<?>> stops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            stops.add(sup.stop("p" + i).toCompletableFuture());
        }
        awaitAll(stops);
    }

    static Run baseline(ActorSystem<?> system, int n) throws Exception {
        int round = ROUND.incrementAndGet();
        long before = Bench.usedHeap();
        long start = System.nanoTime();
        List<ActorRef<Baseline.Go>> refs = spawnAndAsk(system, n, round, "a", "peek");
        double startRate = n / ((System.nanoTime() - start) / 1e9);
        List<CompletableFuture<?>> moves = new ArrayList<>(n);
        refs.forEach(ref -> moves.add(ask(system, ref, "go")));
        awaitAll(moves);
        double heap = (Bench.usedHeap() - before) / (double) n;
        stopAndWait(refs);
        start = System.nanoTime();
        List<ActorRef<Baseline.Go>> again = spawnAndAsk(system, n, round, "b", "peek");
        double recoveryRate = n / ((System.nanoTime() - start) / 1e9);
        stopAndWait(again);
        int fresh = ROUND.incrementAndGet();
        start = System.nanoTime();
        List<ActorRef<Baseline.Go>> persisting = spawnAndAsk(system, n, fresh, "a", "go");
        double startPersistRate = n / ((System.nanoTime() - start) / 1e9);
        stopAndWait(persisting);
        return new Run(startRate, heap, recoveryRate, startPersistRate);
    }

    /**
     * Spawns N baseline actors and waits for each one's reply to {@code event} ({@code peek} answers once recovery
     * is done, {@code go} once an event is persisted as well).
     */
    static List<ActorRef<Baseline.Go>> spawnAndAsk(ActorSystem<?> system, int n, int round, String tag,
                                                           String event) throws Exception {
        List<ActorRef<Baseline.Go>> refs = new ArrayList<>(n);
        List<CompletableFuture<?>> peeks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ActorRef<Baseline.Go> ref = Adapter.spawn(Adapter.toClassic(system),
                    Baseline.create("scale-" + round + "-" + i, INMEM), "scale-" + round + tag + "-" + i);
            refs.add(ref);
            peeks.add(ask(system, ref, event));
        }
        awaitAll(peeks);
        return refs;
    }

    /** Stops the actors and waits until each has terminated (Pekko's gracefulStop). */
    static void stopAndWait(List<ActorRef<Baseline.Go>> refs) throws Exception {
        List<CompletableFuture<?>> stopped = new ArrayList<>(refs.size());
        for (ActorRef<Baseline.Go> ref : refs) {
            stopped.add(org.apache.pekko.pattern.Patterns.gracefulStop(Adapter.toClassic(ref), TIMEOUT)
                    .toCompletableFuture());
        }
        awaitAll(stopped);
    }

    private static CompletableFuture<Baseline.State> ask(ActorSystem<?> system, ActorRef<Baseline.Go> ref,
                                                         String event) {
        CompletionStage<Baseline.State> reply = AskPattern.ask(ref, r -> new Baseline.Go(event, r), TIMEOUT,
                system.scheduler());
        return reply.toCompletableFuture();
    }

    private static void awaitAll(List<CompletableFuture<?>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
    }
}
