package dev.finitomata.benchmarks;

import dev.finitomata.Finitomata;
import dev.finitomata.FsmState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The runtime against a hand-written Pekko EventSourcedBehavior doing the same work, in the same run:
 * awaited transitions per second over N FSMs (each FSM one transition at a time, all FSMs at once). Finitomata runs
 * on the ETS store, the baseline on Pekko's inmem journal. (Heap per FSM: {@link ScaleBenchmark}.)
 * Arguments: {@code [fsms] [transitions per fsm]} (default 10000 20).
 */
public final class RuntimeBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String INMEM = "pekko.persistence.journal.inmem";
    private static final AtomicInteger ROUND = new AtomicInteger();

    private RuntimeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int fsms = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int each = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        ActorSystem<Void> system = Bench.etsSystem("runtime-bench", "");
        ActorSystem<Void> metered = Bench.metered(Bench.etsSystem("runtime-bench-metered", ""));
        try {
            Bench.Table table = new Bench.Table("Runtime: " + fsms + " FSMs, " + each
                    + " awaited transitions each (Finitomata on ETS vs hand-written EventSourcedBehavior on inmem;"
                    + " runs: Finitomata; Finitomata with FinitomataMetrics bound to Prometheus; hand-written)");
            double[] rates = Bench.medians(1, 5, () -> finitomata(system, fsms, each),
                    () -> finitomata(metered, fsms, each), () -> baseline(system, fsms, each));
            table.row("transitions/s", rates[0], "hand-written", rates[2], true, "/s");
            table.row("transitions/s, metrics bound", rates[1], "hand-written", rates[2], true, "/s");
            table.print();
        } finally {
            system.terminate();
            metered.terminate();
        }
    }

    static double finitomata(ActorSystem<?> system, int fsms, int each) throws Exception {
        int round = ROUND.incrementAndGet();
        Finitomata<PingPong.Ball> sup = Finitomata.create(system, "bench-" + round, PingPong.class, PingPong::new);
        List<CompletableFuture<?>> starts = new ArrayList<>();
        for (int i = 0; i < fsms; i++) {
            starts.add(sup.start("p" + i, new PingPong.Ball(0)).toCompletableFuture());
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get();
        long start = System.nanoTime();
        List<CompletableFuture<FsmState<PingPong.Ball>>> chains = new ArrayList<>();
        for (int i = 0; i < fsms; i++) {
            String name = "p" + i;
            CompletionStage<FsmState<PingPong.Ball>> chain = sup.transitionAndWait(name, "go", null);
            for (int t = 1; t < each; t++) {
                chain = chain.thenCompose(s -> sup.transitionAndWait(name, "go", null));
            }
            chains.add(chain.toCompletableFuture());
        }
        CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get();
        double rate = fsms * (double) each / ((System.nanoTime() - start) / 1e9);
        stopAll(sup, fsms);
        return rate;
    }

    static double baseline(ActorSystem<?> system, int fsms, int each) throws Exception {
        int round = ROUND.incrementAndGet();
        List<ActorRef<Baseline.Go>> refs = spawnBaselines(system, fsms, round);
        long start = System.nanoTime();
        List<CompletableFuture<Baseline.State>> chains = new ArrayList<>();
        for (ActorRef<Baseline.Go> ref : refs) {
            CompletionStage<Baseline.State> chain = go(system, ref);
            for (int t = 1; t < each; t++) {
                chain = chain.thenCompose(s -> go(system, ref));
            }
            chains.add(chain.toCompletableFuture());
        }
        CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get();
        double rate = fsms * (double) each / ((System.nanoTime() - start) / 1e9);
        refs.forEach(ref -> Adapter.toClassic(system).stop(Adapter.toClassic(ref)));
        return rate;
    }

    private static List<ActorRef<Baseline.Go>> spawnBaselines(ActorSystem<?> system, int n, int round) {
        List<ActorRef<Baseline.Go>> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            refs.add(Adapter.spawn(Adapter.toClassic(system), Baseline.create("base-" + round + "-" + i, INMEM),
                    "base-" + round + "-" + i));
        }
        return refs;
    }

    private static CompletionStage<Baseline.State> go(ActorSystem<?> system, ActorRef<Baseline.Go> ref) {
        return AskPattern.ask(ref, reply -> new Baseline.Go("go", reply), TIMEOUT, system.scheduler());
    }

    private static void stopAll(Finitomata<?> sup, int fsms) throws Exception {
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (int i = 0; i < fsms; i++) {
            stops.add(sup.stop("p" + i).toCompletableFuture());
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get();
    }
}
