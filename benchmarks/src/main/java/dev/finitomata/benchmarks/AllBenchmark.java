package dev.finitomata.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs every benchmark program, each in a JVM of its own (same JDK, class path and options), so that none measures
 * in the heap another left behind: the ETS store, the runtime against hand-written Pekko, the file journal,
 * Spring Statemachine, live FSMs at scale (up to 1,000,000), blocking callbacks, recovery from PostgreSQL, durable
 * journals (Finitomata and hand-written, file journal and PostgreSQL), the test kit's virtual time, and a
 * cluster of node JVMs on PostgreSQL (failover after kill -9, full restart).
 * Each prints its own table with the baseline measured in the same run.
 */
public final class AllBenchmark {

    private AllBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> options = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        int failures = 0;
        for (Class<?> program : List.of(EtsBenchmark.class, RuntimeBenchmark.class, FileBenchmark.class,
                SpringBenchmark.class, ScaleBenchmark.class, BlockingBenchmark.class, JdbcBenchmark.class,
                DurableBenchmark.class, VirtualTimeBenchmark.class, ClusterBenchmark.class)) {
            List<String> command = new ArrayList<>(List.of(javaBin));
            command.addAll(options);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), program.getName()));
            int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
            if (exit != 0) {
                System.err.println(program.getSimpleName() + " failed with exit code " + exit);
                failures++;
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
