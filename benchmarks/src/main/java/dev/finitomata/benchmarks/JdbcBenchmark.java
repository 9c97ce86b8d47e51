package dev.finitomata.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.persistence.jdbc.EmbeddedPg;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Recovery from PostgreSQL: Finitomata's {@code DirectReplayJdbcJournal} (pekko-persistence-jdbc's journal with a
 * one-statement replay, what {@code JdbcPersistence.config} configures) against pekko-persistence-jdbc's stock
 * {@code JdbcAsyncWriteJournal}, on the same database and rows, in alternating rounds. Each round is a new ActorSystem
 * that starts all N FSMs (3 events each): every start is LOADED from the journal, so the round measures recoveries.
 *
 * <p>Arguments: {@code [fsms]} (default 10000).
 */
public final class JdbcBenchmark {

    private static final String STOCK = "org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal";
    private static final AtomicInteger ROUND = new AtomicInteger();

    private JdbcBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        System.out.println(Bench.machine());
        EmbeddedPg pg = EmbeddedPg.shared();
        Config jdbc = pg.config(pg.freshDatabase("jdbc_bench"));
        double first = FileBenchmark.recoveryRate(system(jdbc), n, null);
        double[] rates = Bench.medians(1, 5, () -> recover(jdbc, n), () -> recover(
                ConfigFactory.parseString("jdbc-journal.class = \"" + STOCK + "\"").withFallback(jdbc), n));
        Bench.Table table = new Bench.Table("Recovery from PostgreSQL (embedded, synchronous commit), " + n
                + " FSMs of 3 events, pool of 20");
        table.row("FSMs recovered/s: direct replay vs pekko-persistence-jdbc's stock replay", rates[0],
                "stock", rates[1], true, "/s");
        table.row("(first start of the same " + n + " FSMs, 3 awaited writes each)", first, "/s");
        table.print();
    }

    private static double recover(Config config, int n) throws Exception {
        ActorSystem<Void> system = system(config);
        try {
            return FileBenchmark.loadAll(system, n);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
    }

    private static ActorSystem<Void> system(Config config) {
        return Adapter.toTyped(org.apache.pekko.actor.ActorSystem.create("jdbc-" + ROUND.incrementAndGet(),
                Bench.config(config.root().render())));
    }
}
