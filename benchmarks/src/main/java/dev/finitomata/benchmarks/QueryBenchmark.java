package dev.finitomata.benchmarks;

import dev.finitomata.Finitomata;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmQuery;
import dev.finitomata.FsmSummary;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.runtime.StateIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * {@code countByState} and {@code find} over many live FSMs on one node (ETS store), against what a user had to do
 * before them in the same run: {@code all()}, then {@code state(name)} of every FSM, filtered by hand (sizes up to
 * {@value #BASELINE_UP_TO} only: beyond that it takes minutes). The FSMs walk a ring of ten states, FSM {@code i}
 * stopping in state {@code i % 10}, so each state holds a tenth of them. Each query's latency is the median of
 * {@value #REPEATS} calls after {@value #WARMUPS} unmeasured ones. The index's own heap per FSM is measured last, on
 * a standalone index of 1,000,000 entries once every ActorSystem has terminated (inside a running system the
 * collector's noise is larger than the index). Arguments: sizes (default {@code 10000 100000 1000000}), or
 * {@code index} for the heap measurement alone.
 */
public final class QueryBenchmark {

    static final int BASELINE_UP_TO = 100_000;
    private static final int WARMUPS = 20;
    private static final int REPEATS = 31;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** Ten states in a ring. */
    public static final class Ring extends FsmBehavior<Integer> {
        static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                [*] --> s0 : create
                s0 --> s1 : next
                s1 --> s2 : next
                s2 --> s3 : next
                s3 --> s4 : next
                s4 --> s5 : next
                s5 --> s6 : next
                s6 --> s7 : next
                s7 --> s8 : next
                s8 --> s9 : next
                s9 --> s0 : next
                s9 --> [*] : finish
                """);

        public Ring(FsmContext context) {
            super(context);
        }

        @Override
        protected FsmDefinition definition() {
            return DEFINITION;
        }

        @Override
        protected Transition<Integer> onTransition(String state, String event, Object eventPayload, Integer n) {
            return Transition.to(targetOf(state, event), n + 1);
        }
    }

    private QueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean indexOnly = args.length == 1 && args[0].equals("index");
        int[] sizes = indexOnly ? new int[0] : args.length > 0
                ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {10_000, 100_000, 1_000_000};
        Bench.Table table = new Bench.Table("countByState and find: the state index vs all() + state() of each FSM");
        for (int n : sizes) {
            run(n, table);
        }
        double[] perFsm = new double[3];
        for (int i = 0; i < perFsm.length; i++) {
            perFsm[i] = indexBytesPerFsm(1_000_000);
        }
        System.out.printf(Locale.ROOT, "  index heap per FSM, runs: %s%n", Arrays.toString(perFsm));
        table.row("index heap per FSM (standalone index of 1,000,000, median of 3)", Bench.median(perFsm), "B");
        table.print();
    }

    private static void run(int n, Bench.Table table) throws Exception {
        ActorSystem<Void> system = Bench.etsSystem("query-bench-" + n, "finitomata.ask-timeout = 10m");
        try {
            Finitomata<Integer> ring = Finitomata.create(system, "ring", Ring.class, Ring::new);
            long t0 = System.nanoTime();
            List<CompletableFuture<?>> started = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String name = "fsm-" + i;
                int steps = i % 10;
                started.add(ring.start(name, 0).thenCompose(r -> walk(ring, name, steps)).toCompletableFuture());
            }
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(TIMEOUT.toMinutes(),
                    TimeUnit.MINUTES);
            System.out.printf(Locale.ROOT, "%,d FSMs started and walked in %.1f s%n", n,
                    (System.nanoTime() - t0) / 1e9);
            Map<String, Long> counts = ring.countByState().toCompletableFuture().get();
            if (counts.values().stream().mapToLong(Long::longValue).sum() != n) {
                throw new IllegalStateException("counted " + counts + ", expected " + n + " in all");
            }
            List<FsmSummary> s3 = ring.find(FsmQuery.inState("s3").limit(Integer.MAX_VALUE)).toCompletableFuture()
                    .get();
            Instant middle = s3.get(s3.size() / 2).since();
            FsmQuery first = FsmQuery.inState("s3");
            FsmQuery old = FsmQuery.inState("s3").enteredBefore(middle).limit(100);
            FsmQuery page = FsmQuery.inState("s3").after(s3.get(s3.size() / 2)).limit(100);
            String size = String.format(Locale.ROOT, "%,d FSMs", n);
            double count = micros(() -> ring.countByState().toCompletableFuture().get());
            double find = micros(() -> ring.find(first).toCompletableFuture().get());
            double findOld = micros(() -> ring.find(old).toCompletableFuture().get());
            double findPage = micros(() -> ring.find(page).toCompletableFuture().get());
            if (n <= BASELINE_UP_TO) {
                double byHand = byHand(ring, "s3");
                table.row(size + ": countByState()", count, "all() + state() of each", byHand, false, "µs");
                table.row(size + ": find(inState s3), first 1,000", find, "all() + state() of each", byHand,
                        false, "µs");
            } else {
                table.row(size + ": countByState()", count, "µs");
                table.row(size + ": find(inState s3), first 1,000", find, "µs");
            }
            table.row(size + ": find(inState s3, enteredBefore median, limit 100)", findOld, "µs");
            table.row(size + ": find(inState s3, after the median one, limit 100)", findPage, "µs");
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
    }

    private static java.util.concurrent.CompletionStage<?> walk(Finitomata<Integer> ring, String name, int steps) {
        java.util.concurrent.CompletionStage<?> done = CompletableFuture.completedFuture(null);
        for (int s = 0; s < steps; s++) {
            done = done.thenCompose(x -> ring.transitionAndWait(name, "next", null));
        }
        return done;
    }

    private interface Call {
        Object call() throws Exception;
    }

    /** Median latency of {@code call}, in microseconds. */
    private static double micros(Call call) throws Exception {
        for (int i = 0; i < WARMUPS; i++) {
            call.call();
        }
        double[] times = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long t = System.nanoTime();
            call.call();
            times[i] = (System.nanoTime() - t) / 1e3;
        }
        return Bench.median(times);
    }

    /** What it took without the index: every name, then every FSM's state, counted by hand (median of 3). */
    private static double byHand(Finitomata<Integer> ring, String state) throws Exception {
        double[] times = new double[3];
        for (int i = 0; i < times.length; i++) {
            long t = System.nanoTime();
            List<CompletableFuture<Boolean>> inState = new ArrayList<>();
            for (String name : ring.all().toCompletableFuture().get().keySet()) {
                inState.add(ring.state(name).thenApply(s -> s.map(st -> st.current().equals(state)).orElse(false))
                        .toCompletableFuture());
            }
            CompletableFuture.allOf(inState.toArray(CompletableFuture[]::new)).get();
            times[i] = (System.nanoTime() - t) / 1e3;
        }
        return Bench.median(times);
    }

    /** Heap of a standalone index holding {@code n} FSMs spread over ten states, per FSM. */
    private static double indexBytesPerFsm(int n) {
        String[] names = new String[n];
        String[] states = new String[10];
        for (int i = 0; i < n; i++) {
            names[i] = "fsm-" + i; // the names exist anyway (the FSMs hold them): not the index's cost
        }
        for (int s = 0; s < 10; s++) {
            states[s] = "s" + s;
        }
        long before = Bench.usedHeap();
        StateIndex index = new StateIndex();
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            index.enter(names[i], states[i % 10], now + i);
        }
        long after = Bench.usedHeap();
        if (index.size() != n || names.length != n) {
            throw new IllegalStateException("index lost entries");
        }
        return (after - before) / (double) n;
    }
}
