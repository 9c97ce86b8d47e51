package dev.finitomata.benchmarks;

import static dev.finitomata.benchmarks.IdleBenchmark.SOON;
import static dev.finitomata.benchmarks.IdleBenchmark.histogram;
import static dev.finitomata.benchmarks.IdleBenchmark.lateness;
import static dev.finitomata.benchmarks.IdleBenchmark.row;
import static dev.finitomata.benchmarks.IdleBenchmark.size;
import static dev.finitomata.benchmarks.IdleBenchmark.throttled;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.benchmarks.IdleBenchmark.Order;
import dev.finitomata.persistence.file.FilePersistence;
import dev.finitomata.sharding.Infinitomata;
import dev.finitomata.sharding.ShardedProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * Issue 26 on {@code Infinitomata}: the shape of {@code -Dbench=Idle} on a one-member cluster over the fsync'd file
 * journal. N stored orders, each with its own pending delay; with passivation on, each FSM's actor and gate stop,
 * and the FSM is parked in its shard's sleep register, which keeps its wake time. Reports heap per FSM once all are
 * passivated, the touch latency (which wakes one from the journal), the lateness of delays falling due during the run,
 * and a full restart: a new ActorSystem on the same directory, how long until the facade answers and until every FSM
 * counts again, how many FSMs the restart recovered from the journal, and whether the delays that fell due while the
 * node was down fire without any start.
 *
 * <p>Arguments: {@code [N] [passivate=2s] [histogram]} (default 100,000), as for {@code -Dbench=Idle}.
 */
public final class IdleClusterBenchmark {

    private IdleClusterBenchmark() {
    }

    public static void main(String[] args) {
        IdleBenchmark.exitAfter(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String passivate = IdleBenchmark.passivateArg(args);
        boolean passivates = !ConfigFactory.parseString("d = " + passivate).getDuration("d").isZero();
        Path dir = Bench.scratchDir("finitomata-idle-cluster");
        Config config = ConfigFactory.parseString("""
                finitomata.passivate-idle-after = %s
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.enabled = off
                pekko.coordinated-shutdown.exit-jvm = off
                """.formatted(passivate)).withFallback(FilePersistence.config(dir));
        System.out.println(Bench.machine());
        List<String[]> rows = new ArrayList<>();

        ActorSystem<Void> first = member(config, 1);
        Infinitomata<Order.Due> orders = Infinitomata.create(first, "idle", Order.class, Order::new);
        long heapBefore = Bench.usedHeap();
        int rest = n - 2 * SOON;
        long soonDue = IdleBenchmark.place(orders, rest, rows);
        IdleBenchmark.whileIdle(orders, passivates ? () -> ShardedProbe.passivated(orders) : null, rest, soonDue,
                rows);
        long heapPerFsm = (Bench.usedHeap() - heapBefore) / (rest + SOON);
        histogram(args, passivates ? "all passivated" : "all live");
        rows.add(row("heap per stored idle FSM with a pending delay, " + (passivates ? "passivated (parked in its "
                + "shard's register; the census's and the journal's indexes included)" : "live (journal index included)"),
                String.format("%,d B", heapPerFsm), "<= 600 B"));
        long downDue = System.currentTimeMillis() + 5_000;
        throttled(SOON, i -> orders.start("down" + i, new Order.Due(downDue)));
        first.terminate();
        first.getWhenTerminated().toCompletableFuture().get();
        rows.add(row("disk per FSM (its events, and sharding's remembered entities)",
                String.format("%,d B", size(dir) / n), "n/a"));
        long wait = Math.max(soonDue, downDue) + 1_000 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }

        long builtBefore = Order.BUILT.get();
        long restart = System.nanoTime();
        long restartedAt = System.currentTimeMillis();
        ActorSystem<Void> second = member(config, 2);
        Infinitomata<Order.Due> again = Infinitomata.create(second, "idle", Order.class, Order::new);
        boolean serves = again.state("o" + ThreadLocalRandom.current().nextInt(rest)).toCompletableFuture().get()
                .isPresent();
        double facadeSeconds = (System.nanoTime() - restart) / 1e9;
        rows.add(row("after a restart, the facade answers (a random FSM not due for an hour: " + (serves ? "running"
                + ", restored by the cluster" : "not running") + "; the member's start and join included)",
                String.format("%.1f s", facadeSeconds), "within 30 s"));
        while (again.count().toCompletableFuture().get() < n) {
            Thread.sleep(200);
        }
        double allSeconds = (System.nanoTime() - restart) / 1e9;
        rows.add(row("after a restart, every FSM runs again as far as count() tells (the awake ones recovered by "
                + "remember-entities, the passivated ones counted by their shards' registers)",
                String.format("%.1f s", allSeconds), "within 30 s"));
        long recovered = Order.BUILT.get() - builtBefore - 1; // (less the facade's own probe of the definition)
        rows.add(row("FSMs recovered from the journal by then", String.format("%,d of %,d", recovered, n), "n/a"));
        List<Long> unstarted = lateness(again, "down", downDue);
        long lastFired = unstarted.isEmpty() ? -1 : downDue + unstarted.get(unstarted.size() - 1) - restartedAt;
        rows.add(row("delays due while the node was down, fired without a start", String.format(
                "%,d of %,d; the last %,d ms after the restart began", unstarted.size(), SOON, lastFired), "all"));
        long firedTwice = IdleBenchmark.expired(again, "down", SOON).size() - unstarted.size();
        rows.add(row("'down' delays fired more than once", String.format("%,d", firedTwice), "0"));
        second.terminate();
        second.getWhenTerminated().toCompletableFuture().get();

        IdleBenchmark.printTable(String.format("Idle FSMs on a one-member cluster (Infinitomata): %,d stored FSMs, "
                + "file journal (fsync'd), each with a pending delay; passivate-idle-after = %s", n, passivate), rows);
    }

    /** A one-member cluster on the file journal: joins itself and answers once it is Up. */
    private static ActorSystem<Void> member(Config config, int incarnation) throws InterruptedException {
        ActorSystem<Void> system = Adapter.toTyped(org.apache.pekko.actor.ActorSystem.create("idle-cluster",
                Bench.config(config.root().render())));
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (cluster.selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("incarnation " + incarnation + " did not come Up");
            }
            Thread.sleep(50);
        }
        return system;
    }
}
