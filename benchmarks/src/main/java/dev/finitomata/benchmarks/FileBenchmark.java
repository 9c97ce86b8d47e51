package dev.finitomata.benchmarks;

import dev.finitomata.Finitomata;
import dev.finitomata.StartResult;
import dev.finitomata.internal.protocol.Event;
import dev.finitomata.persistence.file.FilePersistence;
import dev.finitomata.persistence.file.internal.FileStore;
import dev.finitomata.persistence.file.internal.RecordFormat.Blob;
import dev.finitomata.persistence.file.internal.RecordFormat.StoredEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * The file journal (fsync on every acknowledged write) against the ETS store and Pekko's inmem journal, in the same
 * run: awaited transitions/s with 1, 100 and 10,000 FSMs, single-writer latency, recovery rate of many FSMs against
 * a hand-written EventSourcedBehavior recovering from the inmem journal, and disk bytes per event.
 * Arguments: {@code [fsms to recover]} (default 100000).
 */
public final class FileBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(300);
    private static final AtomicInteger ROUND = new AtomicInteger();

    private FileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int recover = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        boolean onlyRecovery = args.length > 1 && args[1].equals("recovery");
        Path data = Bench.scratchDir("finitomata-file-bench");
        ActorSystem<Void> first = system("file", FilePersistence.config(data).root().render());
        ActorSystem<Void> ets = system("ets", """
                pekko.persistence.journal.plugin = "finitomata.persistence.ets.journal"
                pekko.persistence.snapshot-store.plugin = "finitomata.persistence.ets.snapshot-store"
                """);
        ActorSystem<Void> inmem = system("inmem", """
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                pekko.persistence.snapshot-store.plugin = "finitomata.persistence.ets.snapshot-store"
                """);
        Bench.Table table = new Bench.Table("File journal (fsync always) vs ETS vs Pekko inmem, Finitomata FSMs,"
                + " awaited transitions");
        for (int[] shape : onlyRecovery ? new int[0][] : new int[][] {{1, 2_000}, {100, 100}, {10_000, 10}}) {
            double[] r = Bench.medians(1, 5, () -> rate(first, shape[0], shape[1], null),
                    () -> rate(ets, shape[0], shape[1], null), () -> rate(inmem, shape[0], shape[1], null));
            double f = r[0];
            double e = r[1];
            double m = r[2];
            table.row("transitions/s, " + shape[0] + " FSM(s), file vs ETS", f, "ETS", e, true, "/s");
            table.row("transitions/s, " + shape[0] + " FSM(s), file vs inmem", f, "inmem", m, true, "/s");
        }
        if (!onlyRecovery) {
            long[] latencies = new long[2_000];
            rate(first, 1, latencies.length, latencies);
            Arrays.sort(latencies);
            table.row("1 FSM: p50 latency per fsync'd transition", latencies[latencies.length / 2] / 1e3, "µs");
            table.row("1 FSM: p99 latency per fsync'd transition", latencies[latencies.length * 99 / 100] / 1e3,
                    "µs");
        }

        double ours = recoveryRate(first, recover, data);
        Callable<Double> baselineRecovery = baselineRecovery(inmem, recover);
        double[] recovered = Bench.medians(1, 3, () -> {
            ActorSystem<Void> restarted = system("file-" + ROUND.incrementAndGet(),
                    FilePersistence.config(data).root().render());
            try {
                return loadAll(restarted, recover);
            } finally {
                restarted.terminate();
                restarted.getWhenTerminated().toCompletableFuture().get();
            }
        }, baselineRecovery);
        double oursAgain = recovered[0];
        double baseline = recovered[1];
        ActorSystem<Void> file = system("file-disk", FilePersistence.config(data).root().render());
        table.row("FSMs recovered/s (" + recover + ", file, new ActorSystem: journal opened) vs hand-written on"
                + " inmem", oursAgain, "hand-written", baseline, true, "/s");
        table.row("(first start of the same " + recover + " FSMs, file)", ours, "/s");
        double[] disk = diskBytes(file, data.resolve("disk"));
        table.row("disk bytes per event (a Finitomata transition)", disk[0], "B");
        table.row("disk bytes per live event after deleting 90% and compacting", disk[1], "B");
        table.print();
        file.terminate();
        ets.terminate();
        inmem.terminate();
    }

    private static ActorSystem<Void> system(String name, String config) {
        return Adapter.toTyped(org.apache.pekko.actor.ActorSystem.create(name, Bench.config(config)));
    }

    /** N FSMs each make K awaited transitions; answers transitions/s (and fills latencies for one FSM). */
    static double rate(ActorSystem<?> system, int fsms, int each, long[] latencies) throws Exception {
        return rate(system, fsms, each, latencies, () -> () -> { });
    }

    /** {@code window} is called as the timed part begins, and what it answers as that part ends. */
    static double rate(ActorSystem<?> system, int fsms, int each, long[] latencies,
                       java.util.function.Supplier<Runnable> window) throws Exception {
        Finitomata<PingPong.Ball> sup = Finitomata.create(system, "rate-" + ROUND.incrementAndGet(), PingPong.class,
                PingPong::new);
        List<CompletableFuture<?>> starts = new ArrayList<>();
        for (int i = 0; i < fsms; i++) {
            starts.add(sup.start("p" + i, new PingPong.Ball(0)).toCompletableFuture());
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get();
        Runnable timed = window.get();
        long start = System.nanoTime();
        List<CompletableFuture<?>> chains = new ArrayList<>();
        for (int i = 0; i < fsms; i++) {
            String name = "p" + i;
            CompletionStage<?> chain = CompletableFuture.completedFuture(null);
            for (int t = 0; t < each; t++) {
                int n = t;
                chain = chain.thenCompose(x -> {
                    long before = System.nanoTime();
                    return sup.transitionAndWait(name, "go", null).thenApply(s -> {
                        if (latencies != null) {
                            latencies[n] = System.nanoTime() - before;
                        }
                        return s;
                    });
                });
            }
            chains.add(chain.toCompletableFuture());
        }
        CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get();
        double rate = fsms * (double) each / ((System.nanoTime() - start) / 1e9);
        timed.run();
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (int i = 0; i < fsms; i++) {
            stops.add(sup.stop("p" + i).toCompletableFuture());
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get();
        return rate;
    }

    /** Starts N FSMs with 3 transitions each on the file journal, then terminates the system; answers starts/s. */
    static double recoveryRate(ActorSystem<?> system, int n, Path data) throws Exception {
        Finitomata<PingPong.Ball> sup = Finitomata.create(system, "recover", PingPong.class, PingPong::new);
        long start = System.nanoTime();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "r" + i;
            all.add(sup.start(name, new PingPong.Ball(0))
                    .thenCompose(r -> sup.transitionAndWait(name, "go", null))
                    .thenCompose(s -> sup.transitionAndWait(name, "go", null)).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        double rate = n / ((System.nanoTime() - start) / 1e9);
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get();
        return rate;
    }

    /** In a fresh system on the same data: starts all N names (each LOADED from the journal); answers FSMs/s. */
    static double loadAll(ActorSystem<?> system, int n) throws Exception {
        Finitomata<PingPong.Ball> sup = Finitomata.create(system, "recover", PingPong.class, PingPong::new);
        AtomicInteger loaded = new AtomicInteger();
        long start = System.nanoTime();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(sup.start("r" + i, new PingPong.Ball(0)).thenAccept(r -> {
                if (r == StartResult.LOADED) {
                    loaded.incrementAndGet();
                }
            }).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        double rate = n / ((System.nanoTime() - start) / 1e9);
        if (loaded.get() != n) {
            throw new IllegalStateException("only " + loaded.get() + " of " + n + " FSMs were LOADED");
        }
        return rate;
    }

    /**
     * N hand-written actors persist 3 events each on inmem and stop; answers a measurement that spawns them again
     * (under new actor names) and waits until each answers once recovered: recovered/s.
     */
    static Callable<Double> baselineRecovery(ActorSystem<?> system, int n) throws Exception {
        int round = ROUND.incrementAndGet();
        List<ActorRef<Baseline.Go>> refs = ScaleBenchmark.spawnAndAsk(system, n, round, "w", "go");
        List<CompletableFuture<?>> writes = new ArrayList<>();
        refs.forEach(ref -> writes.add(go(system, ref).thenCompose(s -> go(system, ref)).toCompletableFuture()));
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get();
        ScaleBenchmark.stopAndWait(refs);
        AtomicInteger again = new AtomicInteger();
        return () -> {
            long start = System.nanoTime();
            List<ActorRef<Baseline.Go>> recovered = ScaleBenchmark.spawnAndAsk(system, n, round,
                    "r" + again.incrementAndGet(), "peek");
            double rate = n / ((System.nanoTime() - start) / 1e9);
            ScaleBenchmark.stopAndWait(recovered);
            return rate;
        };
    }

    private static CompletionStage<Baseline.State> go(ActorSystem<?> system, ActorRef<Baseline.Go> ref) {
        return AskPattern.ask(ref, reply -> new Baseline.Go("go", reply), TIMEOUT, system.scheduler());
    }

    /** Bytes on disk per event written, and per live event after deleting 90% and compacting. */
    static double[] diskBytes(ActorSystem<?> system, Path dir) throws Exception {
        Event.Transitioned event = Event.Transitioned.of("a", "go", "b", new PingPong.Ball(42), 1,
                System.currentTimeMillis());
        var serialization = SerializationExtension.get(Adapter.toClassic(system));
        Serializer serializer = serialization.findSerializerFor(event);
        Blob blob = new Blob(serializer.identifier(), Serializers.manifestFor(serializer, event),
                serializer.toBinary(event));
        int pids = 1_000;
        int perPid = 100;
        FileStore.Settings settings = new FileStore.Settings(8 << 20, FileStore.Fsync.INTERVAL,
                Duration.ofMillis(10), 0.5, "dir");
        try (FileStore store = FileStore.open(dir, settings)) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int p = 0; p < pids; p++) {
                for (int s = 1; s <= perPid; s++) {
                    acks.add(store.append("fsm|bench|PingPong|p" + p,
                            List.of(new StoredEvent(s, System.currentTimeMillis(), "writer-uuid-0000", "", blob, null))));
                }
            }
            acks.forEach(CompletableFuture::join);
            double before = store.bytesOnDisk() / (double) (pids * perPid);
            for (int p = 0; p < pids; p++) {
                store.delete("fsm|bench|PingPong|p" + p, perPid - perPid / 10).join();
            }
            store.roll();
            store.compact();
            double after = store.bytesOnDisk() / (double) (pids * perPid / 10);
            System.out.printf(Locale.ROOT, "disk: %d bytes in %d files after compaction%n", store.bytesOnDisk(),
                    count(dir));
            return new double[] {before, after};
        }
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
