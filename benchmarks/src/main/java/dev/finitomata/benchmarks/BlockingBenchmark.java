package dev.finitomata.benchmarks;

import dev.finitomata.Finitomata;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * FSMs whose callback blocks (a simulated 20 ms remote call) on the virtual-thread dispatcher Finitomata ships with,
 * against the same FSMs on Pekko's default fork-join dispatcher, in the same run: N FSMs each make one awaited
 * transition whose {@code onTransition} sleeps, all at once; transitions/s of each.
 * Arguments: {@code [fsms] [blocking millis]} (default 10000 20).
 */
public final class BlockingBenchmark {

    private static final AtomicInteger ROUND = new AtomicInteger();

    private BlockingBenchmark() {
    }

    /** The benchmark FSM: {@code go} blocks for {@link #blockMillis} in the callback, then moves a ↔ b. */
    public static final class Blocking extends FsmBehavior<PingPong.Ball> {

        static volatile long blockMillis = 20;

        public Blocking(FsmContext context) {
            super(context);
        }

        @Override
        protected FsmDefinition definition() {
            return PingPong.DEFINITION;
        }

        @Override
        protected Transition<PingPong.Ball> onTransition(String state, String event, Object eventPayload,
                                                         PingPong.Ball payload) throws Exception {
            if (event.equals("go")) {
                Thread.sleep(blockMillis); // a blocking remote call
                return Transition.to(state.equals("a") ? "b" : "a", payload.next());
            }
            return super.onTransition(state, event, eventPayload, payload);
        }
    }

    public static void main(String[] args) throws Exception {
        int fsms = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Blocking.blockMillis = args.length > 1 ? Long.parseLong(args[1]) : 20;
        ActorSystem<Void> virtual = Bench.etsSystem("virtual", "finitomata.ask-timeout = 10m");
        ActorSystem<Void> forkJoin = Bench.etsSystem("fork-join", """
                finitomata.ask-timeout = 10m
                finitomata.dispatcher.executor = "fork-join-executor"
                """);
        try {
            Bench.Table table = new Bench.Table("Blocking callbacks: " + fsms + " FSMs, one transition each whose"
                    + " callback blocks " + Blocking.blockMillis + " ms (virtual threads vs Pekko's fork-join"
                    + " dispatcher)");
            rate(virtual, fsms); // warm-up (the fork-join runs are dominated by sleeping, not by code)
            double[] rates = Bench.medians(0, 3, () -> rate(virtual, fsms), () -> rate(forkJoin, fsms));
            double ours = rates[0];
            double fj = rates[1];
            int threads = forkJoinThreads(forkJoin);
            table.row("transitions/s", ours, "fork-join dispatcher (" + threads + " threads)", fj, true, "/s");
            table.print();
        } finally {
            virtual.terminate();
            forkJoin.terminate();
        }
    }

    /** The fork-join dispatcher's parallelism, from Pekko's defaults (which every dispatcher falls back to). */
    private static int forkJoinThreads(ActorSystem<?> system) {
        var c = system.settings().config().getConfig("pekko.actor.default-dispatcher.fork-join-executor");
        int cores = Runtime.getRuntime().availableProcessors();
        return Math.min(c.getInt("parallelism-max"),
                Math.max(c.getInt("parallelism-min"), (int) Math.ceil(cores * c.getDouble("parallelism-factor"))));
    }

    static double rate(ActorSystem<?> system, int fsms) throws Exception {
        Finitomata<PingPong.Ball> sup = Finitomata.create(system, "blocking-" + ROUND.incrementAndGet(),
                Blocking.class, Blocking::new);
        List<CompletableFuture<?>> starts = new ArrayList<>(fsms);
        for (int i = 0; i < fsms; i++) {
            starts.add(sup.start("b" + i, new PingPong.Ball(0)).toCompletableFuture());
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get();
        long start = System.nanoTime();
        List<CompletableFuture<?>> moves = new ArrayList<>(fsms);
        for (int i = 0; i < fsms; i++) {
            moves.add(sup.transitionAndWait("b" + i, "go", null).toCompletableFuture());
        }
        CompletableFuture.allOf(moves.toArray(CompletableFuture[]::new)).get();
        double rate = fsms / ((System.nanoTime() - start) / 1e9);
        List<CompletableFuture<?>> stops = new ArrayList<>(fsms);
        for (int i = 0; i < fsms; i++) {
            stops.add(sup.stop("b" + i).toCompletableFuture());
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get();
        return rate;
    }
}
