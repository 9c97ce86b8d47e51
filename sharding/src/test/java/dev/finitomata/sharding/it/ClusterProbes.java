package dev.finitomata.sharding.it;

import dev.finitomata.FsmLocation;
import dev.finitomata.sharding.ConsistentHashClusterInfo;
import dev.finitomata.sharding.Infinitomata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/** What the multi-process cluster test and benchmark ask of a real cluster, through its client member. */
public final class ClusterProbes {

    private ClusterProbes() {
    }

    /** The FSMs (among {@code names}) that a census places on the node at {@code address}. */
    public static List<String> locatedOn(Infinitomata<?> fsms, List<String> names, String address) {
        Map<String, FsmLocation> all = await(fsms.all());
        return names.stream().filter(n -> all.containsKey(n) && all.get(n).node().equals(address)).toList();
    }

    /**
     * How many FSMs of {@code names} a census places elsewhere than their home on the ring of the Up members with the
     * FSMs' role: 0 once every shard sits where it stays (no rebalance pending), as after a start or a settled move.
     */
    public static int misplaced(ActorSystem<?> client, Infinitomata<?> fsms, List<String> names) {
        ConsistentHashClusterInfo ring = new ConsistentHashClusterInfo(client,
                client.settings().config().getInt("pekko.cluster.sharding.number-of-shards"),
                client.settings().config().getInt("finitomata.sharding.virtual-nodes"));
        Map<String, FsmLocation> all = await(fsms.all());
        return (int) names.stream().filter(n -> !all.containsKey(n)
                || !all.get(n).node().equals(ring.whois(n).toString())).count();
    }

    /** The address of the oldest Up member with the FSMs' role: it hosts the shard coordinators. */
    public static String oldestFsmNode(ActorSystem<?> client) {
        List<Member> members = new ArrayList<>();
        Cluster.get(client).state().getMembers().forEach(m -> {
            if (m.status() == MemberStatus.up() && m.hasRole(ClusterNode.ROLE)) {
                members.add(m);
            }
        });
        return members.stream().min((a, b) -> a.isOlderThan(b) ? -1 : 1).orElseThrow().address().toString();
    }

    /**
     * Asks every FSM of {@code names} for its state until it answers; answers the seconds from {@code since} to each
     * one's first answer, sorted. {@code meanwhile} runs every half second while it waits.
     *
     * <p>The FSMs of one shard come back together (the shard starts all its remembered FSMs at once), so the probe
     * keeps one ask per shard in flight, for one of its FSMs, each given half a second (an ask lost to a dead node is
     * soon asked again); once any FSM of a shard answered, it asks all the others of that shard (at most 1,000 asks
     * in flight). The probe thus stays light while the cluster recovers, and does not delay an answer by queueing
     * behind asks to shards still down.
     *
     * @throws AssertionError if some did not answer within {@code patience}
     */
    public static List<Double> answerAgain(Infinitomata<?> fsms, List<String> names, long since, Duration patience,
                                           Runnable meanwhile) {
        int shards = com.typesafe.config.ConfigFactory.load().getInt("pekko.cluster.sharding.number-of-shards");
        Map<String, java.util.Queue<String>> waiting = new ConcurrentHashMap<>();
        names.forEach(n -> waiting.computeIfAbsent(ConsistentHashClusterInfo.shardOf(n, shards),
                s -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(n));
        Set<String> open = ConcurrentHashMap.newKeySet();
        Set<String> probing = ConcurrentHashMap.newKeySet();
        Map<String, Double> answered = new ConcurrentHashMap<>();
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(1_000);
        long deadline = since + patience.toNanos();
        long nextMeanwhile = System.nanoTime();
        while (answered.size() < names.size()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError((names.size() - answered.size()) + " of " + names.size()
                        + " FSMs did not answer within " + patience);
            }
            if (System.nanoTime() > nextMeanwhile) {
                meanwhile.run();
                nextMeanwhile = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            }
            waiting.forEach((shard, queue) -> {
                if (open.contains(shard)) {
                    while (!queue.isEmpty() && inFlight.tryAcquire()) {
                        String name = queue.poll();
                        if (name == null) {
                            inFlight.release();
                            break;
                        }
                        ask(fsms, name, since, answered, inFlight::release, failed -> {
                            queue.add(failed);
                            inFlight.release();
                        });
                    }
                } else if (!queue.isEmpty() && probing.add(shard)) {
                    ask(fsms, queue.poll(), since, answered, () -> {
                        open.add(shard);
                        probing.remove(shard);
                    }, failed -> {
                        queue.add(failed);
                        probing.remove(shard);
                    });
                }
            });
            sleep(10);
        }
        List<Double> seconds = new ArrayList<>(answered.values());
        Collections.sort(seconds);
        return seconds;
    }

    /** Asks {@code name} for its state (half a second): records its first answer, else hands it to {@code failed}. */
    private static void ask(Infinitomata<?> fsms, String name, long since, Map<String, Double> answered,
                            Runnable ok, java.util.function.Consumer<String> failed) {
        fsms.state(name).toCompletableFuture().orTimeout(500, TimeUnit.MILLISECONDS).whenComplete((state, error) -> {
            if (state != null && state.isPresent()) {
                answered.putIfAbsent(name, (System.nanoTime() - since) / 1e9);
                ok.run();
            } else {
                failed.accept(name);
            }
        });
    }

    /** First, median, last of sorted {@code seconds}. */
    public static String firstMedianLast(List<Double> seconds) {
        return String.format(java.util.Locale.ROOT, "%.1f / %.1f / %.1f s", seconds.get(0), seconds.get(seconds.size() / 2),
                seconds.get(seconds.size() - 1));
    }

    /**
     * Runs {@code call} for every name, 200 at a time, calling again (up to 10 times) where it failed; answers how
     * many calls failed.
     */
    public static int forAllCounting(List<String> names, Function<String, CompletionStage<?>> call) {
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < names.size(); i += 200) {
            List<CompletableFuture<?>> batch = names.subList(i, Math.min(names.size(), i + 200)).stream()
                    .<CompletableFuture<?>>map(n -> retrying(n, call, failed, 10)).toList();
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).orTimeout(600, TimeUnit.SECONDS).join();
        }
        return failed.get();
    }

    private static CompletableFuture<?> retrying(String name, Function<String, CompletionStage<?>> call,
                                                 java.util.concurrent.atomic.AtomicInteger failed, int left) {
        return call.apply(name).toCompletableFuture().<CompletableFuture<?>>handle((ok, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(ok);
            }
            failed.incrementAndGet();
            if (left == 0) {
                return CompletableFuture.failedFuture(error);
            }
            return retrying(name, call, failed, left - 1);
        }).thenCompose(f -> f);
    }

    /** Runs {@code call} for every name, 200 at a time. */
    public static void forAll(List<String> names, Function<String, CompletionStage<?>> call) {
        for (int i = 0; i < names.size(); i += 200) {
            List<CompletableFuture<?>> batch = names.subList(i, Math.min(names.size(), i + 200)).stream()
                    .<CompletableFuture<?>>map(n -> call.apply(n).toCompletableFuture()).toList();
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).orTimeout(120, TimeUnit.SECONDS).join();
        }
    }

    public static <T> T await(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** Polls {@code check} until it holds. @throws AssertionError naming {@code what} after {@code patience} */
    public static void eventually(Duration patience, Supplier<Boolean> check, String what) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                if (check.get()) {
                    return;
                }
            } catch (RuntimeException | AssertionError retry) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + patience + ": " + what);
            }
            sleep(200);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
