package dev.finitomata.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Finitomata;
import dev.finitomata.persistence.jdbc.EmbeddedPg;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Why a JDBC journal "stalls" under a burst: N FSMs started at once on PostgreSQL, each round in a new ActorSystem on
 * a fresh database, alternating pekko-persistence-jdbc's default {@code bufferSize} (1,000 queued write batches) and
 * the 100,000 that {@code JdbcPersistence.config} sets. Prints, per round, the starts that succeeded, how long the
 * burst took, and the failures grouped by cause.
 *
 * <p>Arguments: {@code [fsms] [rounds]} (default 20000 3).
 */
public final class JdbcBurstBenchmark {

    private JdbcBurstBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.println(Bench.machine());
        EmbeddedPg pg = EmbeddedPg.shared();
        for (int round = 1; round <= rounds; round++) {
            for (int buffer : new int[] {1_000, 100_000}) {
                Config config = ConfigFactory.parseString("jdbc-journal.bufferSize = " + buffer)
                        .withFallback(pg.config(pg.freshDatabase("burst")));
                burst(config, n, String.format(Locale.ROOT, "round %d, bufferSize %,d", round, buffer));
            }
        }
    }

    private static void burst(Config config, int n, String label) throws Exception {
        ActorSystem<Void> system = Adapter.toTyped(org.apache.pekko.actor.ActorSystem.create("burst",
                Bench.config(config.root().render())));
        try {
            Finitomata<PingPong.Ball> sup = Finitomata.create(system, "burst", PingPong.class, PingPong::new);
            AtomicInteger ok = new AtomicInteger();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            List<CompletableFuture<?>> all = new ArrayList<>(n);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                all.add(sup.start("b" + i, new PingPong.Ball(0)).toCompletableFuture().handle((r, e) -> {
                    if (e == null) {
                        ok.incrementAndGet();
                    } else {
                        failures.merge(cause(e), 1, Integer::sum);
                    }
                    return null;
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            System.out.printf(Locale.ROOT, "%s: %,d of %,d starts succeeded in %.1f s; failures: %s%n", label,
                    ok.get(), n, (System.nanoTime() - start) / 1e9, new TreeMap<>(failures));
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
    }

    /** The cause of a failed start, shortened: the journal's exception, or the ask timeout. */
    private static String cause(Throwable e) {
        String m = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        int at = m.indexOf("the journal failed to write: ");
        String key = at >= 0 ? m.substring(at + "the journal failed to write: ".length()) : m;
        key = key.replaceAll("\\[Actor\\[[^]]*]]", "[supervisor]");
        return key.substring(0, Math.min(90, key.length()));
    }
}
