package dev.finitomata.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pekko.actor.typed.ActorSystem;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.statemachine.StateMachine;
import org.springframework.statemachine.StateMachineEventResult;
import org.springframework.statemachine.config.StateMachineBuilder;
import reactor.core.publisher.Mono;

/**
 * Finitomata against Spring Statemachine 4.0.x doing the same transitions, in the same run: the ping-pong machine
 * of {@link PingPong} ({@code a -go-> b -go-> a}, an action counting the hits in an extended-state variable), one
 * machine per name built with {@link StateMachineBuilder}, in memory (Spring persists nothing), driven by one
 * platform thread per core, each sending events to its share of the machines in turn (Spring's {@code sendEvent}
 * runs the transition on the caller's thread). Finitomata runs on the ETS store and persists every transition.
 * Arguments: {@code [machines] [transitions per machine]} (default 10000 20).
 */
public final class SpringBenchmark {

    private static final int HEAP_MACHINES = 100_000;

    private SpringBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int machines = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int each = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        ActorSystem<Void> system = Bench.etsSystem("spring-bench", "");
        try {
            Bench.Table table = new Bench.Table("Spring Statemachine 4.0.x (in memory, builder) vs Finitomata"
                    + " (ETS, every transition persisted): " + machines + " machines, " + each + " transitions each");
            double[] rates = Bench.medians(1, 5, () -> RuntimeBenchmark.finitomata(system, machines, each),
                    () -> springRate(machines, each));
            table.row("transitions/s", rates[0], "Spring Statemachine", rates[1], true, "/s");
            // heap at 100,000 machines: at 10,000 the collector's noise is about ±1 KB per machine
            double ourHeap = ScaleBenchmark.ours(system, HEAP_MACHINES).heapPerFsm();
            double springHeap = springHeapPerMachine(HEAP_MACHINES);
            table.row("heap per live machine, " + HEAP_MACHINES + " machines (after one transition)", ourHeap,
                    "Spring Statemachine", springHeap, false, "B");
            table.print();
        } finally {
            system.terminate();
        }
    }

    /** One machine, built the way Spring's reference documentation shows for builder use, started. */
    static StateMachine<String, String> build() throws Exception {
        StateMachineBuilder.Builder<String, String> builder = StateMachineBuilder.builder();
        builder.configureConfiguration().withConfiguration().autoStartup(false);
        builder.configureStates().withStates().initial("a").state("b");
        builder.configureTransitions()
                .withExternal().source("a").target("b").event("go").action(ctx -> hit(ctx.getExtendedState()))
                .and()
                .withExternal().source("b").target("a").event("go").action(ctx -> hit(ctx.getExtendedState()));
        StateMachine<String, String> machine = builder.build();
        machine.startReactively().block();
        return machine;
    }

    private static void hit(org.springframework.statemachine.ExtendedState state) {
        state.getVariables().merge("hits", 1L, (a, b) -> (Long) a + (Long) b);
    }

    /** Sends {@code go} and waits until Spring has processed it; fails if Spring did not accept it. */
    static void go(StateMachine<String, String> machine) {
        StateMachineEventResult<String, String> result = machine
                .sendEvent(Mono.just(MessageBuilder.withPayload("go").build())).blockLast();
        if (result == null || result.getResultType() != StateMachineEventResult.ResultType.ACCEPTED) {
            throw new IllegalStateException("Spring Statemachine did not accept go: " + result);
        }
    }

    static double springRate(int machines, int each) throws Exception {
        List<StateMachine<String, String>> all = new ArrayList<>(machines);
        for (int i = 0; i < machines; i++) {
            all.add(build());
        }
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<StateMachine<String, String>> share = all.subList(machines * t / threads,
                        machines * (t + 1) / threads);
                done.add(pool.submit(() -> {
                    for (int round = 0; round < each; round++) {
                        share.forEach(SpringBenchmark::go);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double rate = machines * (double) each / ((System.nanoTime() - start) / 1e9);
            long expectedHits = each;
            all.forEach(m -> {
                if (!Long.valueOf(expectedHits).equals(m.getExtendedState().getVariables().get("hits"))) {
                    throw new IllegalStateException("a machine missed transitions");
                }
            });
            all.forEach(m -> m.stopReactively().block());
            return rate;
        } finally {
            pool.shutdown();
        }
    }

    static double springHeapPerMachine(int machines) throws Exception {
        long before = Bench.usedHeap();
        List<StateMachine<String, String>> all = new ArrayList<>(machines);
        for (int i = 0; i < machines; i++) {
            StateMachine<String, String> machine = build();
            go(machine);
            all.add(machine);
        }
        long after = Bench.usedHeap();
        double perMachine = (after - before) / (double) machines;
        all.forEach(m -> m.stopReactively().block());
        return perMachine;
    }
}
