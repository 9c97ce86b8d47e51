package dev.finitomata.sharding.it;

import static dev.finitomata.sharding.it.ClusterProbes.await;
import static dev.finitomata.sharding.it.ClusterProbes.eventually;
import static dev.finitomata.sharding.it.ClusterProbes.forAll;
import static dev.finitomata.sharding.it.ClusterProbes.forAllCounting;
import static dev.finitomata.sharding.it.ClusterProbes.sleep;

import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.definition.FsmTransition;
import dev.finitomata.persistence.jdbc.CrashablePg;
import dev.finitomata.sharding.Infinitomata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Chaos under steady load, seeded and reproducible: a {@link ProxiedCluster} over a {@link CrashablePg}, FSMs taking
 * awaited transitions from many callers (every one recorded with its acknowledgement), delayed transitions falling
 * due all along (half of them sent by the client, half scheduled by the FSMs themselves), and at random moments one
 * of three faults: kill -9 of a node and its restart, a crash of PostgreSQL
 * and its restart, a partition of a node (it downs itself) and, after the heal, its restart. Then a checker verifies,
 * per FSM: every acknowledged transition is in its journal; its journal's states form a path of the definition; no
 * sequence number was written twice (no gap, no interleaved writers, no duplicate key refused); every delayed
 * transition fired exactly once. Shared by {@code ChaosTest} and {@code -Dbench=Chaos}.
 */
public final class ChaosScenario {

    /** The faults it injects. */
    public enum Kind { KILL, DATABASE, PARTITION }

    /** One fault: when it began (seconds into the run), what, and how long until all was back. */
    public record Fault(double at, Kind kind, int node, double lasted) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%6.1f s  %-9s %s (%.1f s)", at, kind,
                    kind == Kind.DATABASE ? "PostgreSQL" : "node-" + (node + 1), lasted);
        }
    }

    /** The checker's verdict. */
    public record Verdict(List<Fault> faults, int acknowledged, int failed, int fsms, List<String> problems,
                          String journal) {
        public String summary() {
            return "faults:\n" + faults.stream().map(f -> "  " + f).collect(Collectors.joining("\n"))
                    + String.format(Locale.ROOT, "%n%d transitions acknowledged, %d failed (refused or timed out) "
                    + "over %d FSMs; journal: %s%nverdict: %s", acknowledged, failed, fsms, journal,
                    problems.isEmpty() ? "OK" : problems.size() + " problems: "
                            + problems.subList(0, Math.min(10, problems.size())));
        }
    }

    private final ProxiedCluster cluster;
    private final CrashablePg pg;
    private final String jdbcUrl;
    private final Random random;
    private final List<String> names = new ArrayList<>();
    private final List<String> delaying = new ArrayList<>();
    /** What went wrong while the faults were injected (a node that did not rejoin), for the verdict. */
    private final List<String> incidents = new ArrayList<>();

    /** The least quiet time between two faults; up to twice that, at random. */
    private Duration gap = Duration.ofSeconds(8);

    /** Faults come every {@code gap} to twice that (8 s by default); the test's short run takes 4 s. */
    public ChaosScenario gaps(Duration gap) {
        this.gap = gap;
        return this;
    }

    public ChaosScenario(ProxiedCluster cluster, CrashablePg pg, long seed, int fsms) {
        this.cluster = cluster;
        this.pg = pg;
        this.jdbcUrl = pg.url();
        this.random = new Random(seed);
        for (int i = 0; i < fsms; i++) {
            names.add("chaos-" + i);
        }
    }

    /**
     * Runs for {@code duration}: starts the FSMs, schedules a delayed transition for one in five (due at random times
     * within the run), then loads them while faults come every {@link #gaps} (8-16 s), in the given {@code order} if any (then at
     * random); answers the checker's verdict once everything is back.
     */
    public Verdict run(Duration duration, List<Kind> order) throws Exception {
        Infinitomata<LoadFsm.Load> fsms = cluster.fsms();
        forAllCounting(names, n -> fsms.start(n, new LoadFsm.Load(0, 0, 0, false)));
        forAll(names, n -> fsms.transitionAndWait(n, "start", null));
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        for (int i = 0; i < names.size(); i += 5) {
            String n = names.get(i);
            delaying.add(n);
            long dueMillis = 5_000 + (long) (random.nextDouble() * Math.max(1, duration.toMillis() - 15_000));
            if (i % 10 == 0) { // half of them scheduled by the FSM itself, committed with a work
                acknowledged.merge(n, await(fsms.transitionAndWait(n, "work", Duration.ofMillis(dueMillis)))
                        .payload().works(), Math::max);
            } else {
                fsms.transition(n, "delayed", null, Duration.ofMillis(dueMillis));
            }
        }
        // the schedules are persisted before the awaited transition behind them is answered
        forAll(names, n -> fsms.transitionAndWait(n, "work", null)
                .thenApply(s -> acknowledged.merge(n, s.payload().works(), Math::max)));

        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger acks = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        long seed = random.nextLong();
        for (int c = 0; c < 20; c++) {
            Random mine = new Random(seed + c);
            callers.add(Thread.ofVirtual().start(() -> {
                while (loading.get()) {
                    String n = names.get(mine.nextInt(names.size()));
                    try {
                        int works = fsms.transitionAndWait(n, "work", null).toCompletableFuture()
                                .get(10, TimeUnit.SECONDS).payload().works();
                        acknowledged.merge(n, works, Math::max);
                        acks.incrementAndGet();
                    } catch (Exception refusedOrLost) {
                        failures.incrementAndGet();
                        sleep(100);
                    }
                    sleep(20);
                }
            }));
        }

        long began = System.nanoTime();
        List<Fault> faults = new ArrayList<>();
        List<Kind> planned = new ArrayList<>(order);
        while (elapsed(began) < duration.toSeconds() - 20 || !planned.isEmpty()) {
            sleep(gap.toMillis() + random.nextInt((int) gap.toMillis()));
            Kind kind = planned.isEmpty() ? Kind.values()[random.nextInt(3)] : planned.remove(0);
            int node = random.nextInt(3);
            double at = elapsed(began);
            switch (kind) {
                case KILL -> {
                    cluster.kill(node);
                    sleep(2_000 + random.nextInt(4_000));
                    restart(node, at);
                }
                case DATABASE -> {
                    pg.crash();
                    sleep(2_000 + random.nextInt(8_000));
                    pg.restart();
                }
                case PARTITION -> {
                    NodeProcess cut = cluster.node(node);
                    cluster.cut(node);
                    eventually(Duration.ofSeconds(60), () -> !cut.alive(), "the cut-off node downs itself");
                    cluster.heal();
                    restart(node, at);
                }
            }
            Fault fault = new Fault(at, kind, node, elapsed(began) - at);
            faults.add(fault);
            System.out.println("chaos: " + fault);
        }
        sleep(Math.max(0, TimeUnit.SECONDS.toMillis(duration.toSeconds()) - (long) (elapsed(began) * 1000)));
        loading.set(false);
        for (Thread t : callers) {
            t.join();
        }
        eventually(Duration.ofSeconds(120), () -> await(fsms.count()) == names.size(), "every FSM runs again");
        return check(fsms, acknowledged, faults, acks.get(), failures.get());
    }

    /**
     * Restarts node {@code i} as an operator would; one that does not rejoin is an incident of the verdict, and is
     * restarted once more so that the soak goes on.
     */
    private void restart(int i, double faultAt) throws InterruptedException {
        try {
            cluster.restart(i);
        } catch (AssertionError notUp) {
            incidents.add("the fault at " + String.format("%.1f s", faultAt) + ": " + notUp.getMessage());
            System.out.println("chaos: " + notUp.getMessage() + "; restarting it again");
            cluster.restart(i);
        }
    }

    private Verdict check(Infinitomata<LoadFsm.Load> fsms, Map<String, Integer> acknowledged, List<Fault> faults,
                          int acks, int failed) throws Exception {
        List<String> problems = Collections.synchronizedList(new ArrayList<>(incidents));
        Set<FsmTransition> allowed = Set.copyOf(LoadFsm.DEFINITION.transitions());
        // every delay is due by now; give the last ones time to fire where their FSM came back
        try {
            eventually(Duration.ofSeconds(60), () -> delaying.stream().allMatch(n -> await(fsms.state(n))
                    .orElseThrow().payload().delayed() >= 1), "every delayed transition fired");
        } catch (AssertionError e) {
            problems.add(e.getMessage());
        }
        for (String n : names) {
            List<FsmHistoryEntry<LoadFsm.Load>> history = await(fsms.history(n));
            String previous = "*";
            int works = 0;
            int delayed = 0;
            for (FsmHistoryEntry<LoadFsm.Load> entry : history) {
                if (!entry.from().equals(previous)) {
                    problems.add(n + ": entry " + entry.sequenceNr() + " comes from '" + entry.from() + "', not from '"
                            + previous + "'");
                }
                if (!entry.from().equals("*") && !allowed.contains(new FsmTransition(entry.from(), entry.event(),
                        entry.to()))) {
                    problems.add(n + ": " + entry.from() + " --" + entry.event() + "--> " + entry.to()
                            + " is not in the definition");
                }
                previous = entry.to();
                works += entry.event().equals("work") ? 1 : 0;
                delayed += entry.event().equals("delayed") ? 1 : 0;
            }
            if (works < acknowledged.getOrDefault(n, 0)) {
                problems.add(n + ": " + acknowledged.get(n) + " work transitions acknowledged, " + works
                        + " in the journal");
            }
            int expected = delaying.contains(n) ? 1 : 0;
            if (delayed != expected) {
                problems.add(n + ": its delayed transition fired " + delayed + " times, expected " + expected);
            }
        }
        JournalCheck.Verdict journal = JournalCheck.check(jdbcUrl);
        problems.addAll(journal.problems());
        cluster.linesWith("duplicate key").stream().limit(5).forEach(l -> problems.add("duplicate key: " + l));
        return new Verdict(faults, acks, failed, names.size(), problems, journal.toString());
    }

    private static double elapsed(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
