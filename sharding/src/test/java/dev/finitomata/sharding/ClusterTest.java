package dev.finitomata.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.FsmLocation;
import dev.finitomata.FsmState;
import dev.finitomata.RecordingFsm;
import dev.finitomata.StartResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several ActorSystems on 127.0.0.1 in one JVM, sharing the JVM-wide ETS store as their journal. */
class ClusterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger RUN = new AtomicInteger();
    private final List<ActorTestKit> nodes = new ArrayList<>();
    private final String id = "orders" + RUN.incrementAndGet();
    private final String table = "cluster-" + System.nanoTime();

    private String extraConfig = "";

    private Config config() {
        return ConfigFactory.parseString(extraConfig).withFallback(ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.enabled = off
                pekko.cluster.split-brain-resolver.stable-after = 2s
                pekko.cluster.sharding.rebalance-interval = 1s
                pekko.cluster.sharding.number-of-shards = 60
                pekko.coordinated-shutdown.exit-jvm = off
                pekko.loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                pekko.persistence.journal.plugin = "finitomata.persistence.ets.journal"
                pekko.persistence.snapshot-store.plugin = "finitomata.persistence.ets.snapshot-store"
                finitomata.persistence.ets.journal.table = "%1$s"
                finitomata.persistence.ets.snapshot-store.table = "%1$s"
                finitomata.persistence.ets.journal.serialize = on
                finitomata.ask-timeout = 5s
                """.formatted(table))).withFallback(ConfigFactory.load());
    }

    private ActorTestKit node() {
        ActorTestKit kit = ActorTestKit.create("cluster", config());
        Address first = nodes.isEmpty() ? Cluster.get(kit.system()).selfMember().address()
                : Cluster.get(nodes.get(0).system()).selfMember().address();
        Cluster.get(kit.system()).manager().tell(Join.create(first));
        nodes.add(kit);
        return kit;
    }

    private void awaitUp(int count) {
        for (ActorTestKit kit : nodes) {
            eventually(() -> {
                int up = 0;
                for (var m : Cluster.get(kit.system()).state().getMembers()) {
                    up += m.status() == MemberStatus.up() ? 1 : 0;
                }
                return up == count;
            }, count + " members up");
        }
    }

    @AfterEach
    void shutdown() {
        nodes.forEach(kit -> {
            try {
                kit.shutdownTestKit();
            } catch (RuntimeException ignored) {
                // already terminated by the test
            }
        });
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void eventually(Supplier<Boolean> check, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (check.get()) {
                    return;
                }
            } catch (RuntimeException | AssertionError retry) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within 60 s: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** {@code size} nodes, all Up, each with its Infinitomata; answers the facades in node order. */
    private List<Infinitomata<Counter>> formCluster(int size) {
        for (int i = 0; i < size; i++) {
            node();
        }
        awaitUp(size);
        return nodes.stream().map(this::fsms).toList();
    }

    private Infinitomata<Counter> fsms(ActorTestKit kit) {
        return Infinitomata.create(kit.system(), id, RecordingFsm.class, RecordingFsm::new);
    }

    /** Starts {@code n} FSMs through {@code from} and moves each to 'working'; answers their names. */
    private static List<String> startWorking(Infinitomata<Counter> from, int n) {
        List<String> names = names(n);
        names.forEach(name -> await(from.start(name, new Counter(0))));
        names.forEach(name -> await(from.transitionAndWait(name, "start", null)));
        return names;
    }

    private static List<String> names(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("order-" + i);
        }
        return names;
    }

    @Test
    void fsmsSpreadOverTheClusterAndWorkFromAnyNode() {
        ActorTestKit a = node();
        ActorTestKit b = node();
        ActorTestKit c = node();
        awaitUp(3);
        Infinitomata<Counter> onA = fsms(a);
        Infinitomata<Counter> onB = fsms(b);
        Infinitomata<Counter> onC = fsms(c);
        List<String> names = names(30);
        names.forEach(n -> assertEquals(StartResult.STARTED, await(onA.start(n, new Counter(0)))));
        // a second start changes nothing; an FSM just relocated by the cluster answers LOADED on its new node
        StartResult again = await(onC.start(names.get(0), new Counter(99)));
        assertTrue(again == StartResult.ALREADY_STARTED || again == StartResult.LOADED, again.toString());
        assertEquals(new Counter(0), await(onC.state(names.get(0))).orElseThrow().payload());
        names.forEach(n -> assertEquals("working", await(onB.transitionAndWait(n, "start", null)).current()));
        names.forEach(n -> assertEquals(new Counter(1), await(onB.transitionAndWait(n, "work", null)).payload()));
        for (String n : names) {
            FsmState<Counter> state = await(onC.state(n)).orElseThrow();
            assertEquals("working", state.current());
            assertEquals(new Counter(1), state.payload());
        }
        eventually(() -> await(onA.count()) == 30 && await(onB.count()) == 30 && await(onC.count()) == 30,
                "count() agrees on every node");
        // shards allocated before every region registered are moved to their ring owner by rebalancing
        eventually(() -> {
            Map<String, FsmLocation> placed = await(onB.all());
            return placed.size() == 30 && names.stream()
                    .allMatch(n -> onA.clusterInfo().whois(n).toString().equals(placed.get(n).node()));
        }, "every FSM on the node the ring assigns");
        Map<String, FsmLocation> all = await(onB.all());
        Set<String> usedNodes = all.values().stream().map(FsmLocation::node).collect(Collectors.toSet());
        assertEquals(3, usedNodes.size(), "FSMs live on all three nodes: " + all);
        for (String n : names) {
            assertEquals(new Counter(1), await(onA.state(n)).orElseThrow().payload(), "moved with its state");
        }
        assertEquals(Optional.empty(), await(onA.state("nobody")));
        assertFalse(await(onA.alive("nobody")));
        eventually(() -> !await(onA.all()).containsKey("nobody"), "no entity left behind for an unknown name");
        System.out.println("spread over 3 nodes: " + all.values().stream()
                .collect(Collectors.groupingBy(FsmLocation::node, Collectors.counting())));
    }

    @Test
    void fsmsOfADownedNodeComeBackOnTheSurvivorsWithTheirState() {
        ActorTestKit a = node();
        ActorTestKit b = node();
        ActorTestKit c = node();
        awaitUp(3);
        Infinitomata<Counter> onA = fsms(a);
        fsms(b);
        Infinitomata<Counter> onC = fsms(c);
        List<String> names = startWorking(onA, 30);
        String cAddress = Cluster.get(c.system()).selfMember().address().toString();
        Map<String, FsmLocation> before = await(onA.all());
        List<String> onNodeC = names.stream().filter(n -> before.get(n).node().equals(cAddress)).toList();
        assertFalse(onNodeC.isEmpty(), "some FSMs live on the node to be downed");
        String delayed = onNodeC.get(0);
        onC.transition(delayed, "work", null, Duration.ofSeconds(3));
        eventually(() -> await(onA.state(delayed)).orElseThrow().current().equals("working"), "delay persisted");

        long downedAt = System.nanoTime();
        Cluster.get(a.system()).manager().tell(new Down(Cluster.get(c.system()).selfMember().address()));
        c.shutdownTestKit();
        nodes.remove(c);
        String downed = cAddress;
        eventually(() -> {
            for (var m : Cluster.get(a.system()).state().getMembers()) {
                if (m.address().toString().equals(downed)) {
                    return false;
                }
            }
            return true;
        }, "the downed node is removed");
        eventually(() -> await(onA.count()) == 30, "every FSM runs again");
        for (String n : onNodeC) {
            eventually(() -> {
                try {
                    return onA.state(n).toCompletableFuture().get(2, TimeUnit.SECONDS).orElseThrow().current()
                            .equals("working");
                } catch (Exception e) {
                    return false;
                }
            }, n + " answers from a survivor with its state");
        }
        double failover = (System.nanoTime() - downedAt) / 1e9;
        eventually(() -> await(onA.state(delayed)).orElseThrow().payload().equals(new Counter(1)),
                "the delayed transition scheduled on the dead node fires on a survivor");
        Map<String, FsmLocation> after = await(onA.all());
        assertFalse(after.values().stream().anyMatch(l -> l.node().equals(cAddress)));
        System.out.printf("failover (manual down): %d FSMs of the downed node answering again after %.1f s%n",
                onNodeC.size(), failover);
    }

    @Test
    void aJoiningNodeTakesShardsAndNothingIsLostOrDuplicated() {
        ActorTestKit a = node();
        ActorTestKit b = node();
        awaitUp(2);
        Infinitomata<Counter> onA = fsms(a);
        fsms(b);
        List<String> names = startWorking(onA, 40);
        ActorTestKit c = node();
        awaitUp(3);
        Infinitomata<Counter> onC = fsms(c);
        String cAddress = Cluster.get(c.system()).selfMember().address().toString();
        eventually(() -> await(onC.all()).values().stream().anyMatch(l -> l.node().equals(cAddress)),
                "some shards move to the new node");
        eventually(() -> await(onC.count()) == 40, "every FSM runs again after the moves");
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            assertEquals("working", await(onC.state(n)).orElseThrow().current());
            assertTrue(seen.add(n));
        }
        assertEquals(40, await(onA.all()).size(), "no FSM runs twice");
    }

    @Test
    void idleFsmsPassivateAndComeBackOnTheirNextMessage() {
        extraConfig = "finitomata.passivate-idle-after = 1s";
        ActorTestKit a = node();
        ActorTestKit b = node();
        awaitUp(2);
        Infinitomata<Counter> onA = fsms(a);
        fsms(b);
        List<String> names = startWorking(onA, 10);
        eventually(() -> await(onA.count()) == 0, "idle FSMs passivate");
        for (String n : names) {
            FsmState<Counter> state = await(onA.transitionAndWait(n, "work", null));
            assertEquals("working", state.current());
            assertEquals(new Counter(1), state.payload(), "back with its state");
        }
        assertEquals(10, await(onA.count()));
    }

    @Test
    void aGracefulLeaveHandsFsmsOverWithoutLosingAcknowledgedTransitions() throws Exception {
        Infinitomata<Counter> onA = formCluster(3).get(0);
        ActorTestKit a = nodes.get(0);
        ActorTestKit c = nodes.get(2);
        List<String> names = startWorking(onA, 30);
        List<java.util.concurrent.CompletableFuture<FsmState<Counter>>> inFlight = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (String n : names) {
                inFlight.add(onA.transitionAndWait(n, "work", null).toCompletableFuture());
            }
            if (round == 1) {
                Cluster.get(c.system()).manager().tell(new org.apache.pekko.cluster.typed.Leave(
                        Cluster.get(c.system()).selfMember().address()));
            }
        }
        Map<String, Integer> acknowledged = new java.util.HashMap<>();
        for (var f : inFlight) {
            try {
                FsmState<Counter> s = f.get(60, TimeUnit.SECONDS);
                acknowledged.merge(s.name(), s.payload().value(), Math::max);
            } catch (java.util.concurrent.ExecutionException e) {
                // a transition may fail during the hand-over; it must then not have been applied twice
            }
        }
        eventually(() -> Cluster.get(a.system()).state().getMembers().spliterator().estimateSize() == 2,
                "the leaving node is gone");
        for (String n : names) {
            int now = await(onA.state(n)).orElseThrow().payload().value();
            assertTrue(now >= acknowledged.getOrDefault(n, 0), n + ": acknowledged " + acknowledged.get(n)
                    + " but the FSM holds " + now);
            assertTrue(now <= 5, n + ": at most the 5 transitions sent, holds " + now);
        }
    }

    @Test
    void aCrashedNodeIsDownedByTheSplitBrainResolverAndItsFsmsMove() {
        // the shipped downing settings, not the test's shorter stable-after
        Config shipped = ConfigFactory.defaultReference();
        extraConfig = "pekko.cluster.split-brain-resolver.stable-after = "
                + shipped.getString("pekko.cluster.split-brain-resolver.stable-after") + "\n"
                + "pekko.coordinated-shutdown.run-by-actor-system-terminate = off\n";
        Infinitomata<Counter> onA = formCluster(3).get(0);
        ActorTestKit a = nodes.get(0);
        ActorTestKit c = nodes.get(2);
        List<String> names = startWorking(onA, 30);
        String cAddress = Cluster.get(c.system()).selfMember().address().toString();
        List<String> onNodeC = names.stream().filter(n -> await(onA.all()).get(n).node().equals(cAddress)).toList();
        assertFalse(onNodeC.isEmpty());
        long crashedAt = System.nanoTime();
        c.system().terminate(); // no leave, no hand-over: the others only see it stop answering
        nodes.remove(c);
        for (String n : onNodeC) {
            eventually(() -> {
                try {
                    return onA.state(n).toCompletableFuture().get(2, TimeUnit.SECONDS).isPresent();
                } catch (Exception e) {
                    return false;
                }
            }, n + " answers from a survivor");
        }
        double seconds = (System.nanoTime() - crashedAt) / 1e9;
        System.out.printf("failover (crash, split brain resolver): %d FSMs answering on survivors after %.1f s%n",
                onNodeC.size(), seconds);
        assertTrue(seconds < 30, "failover took " + seconds + " s");
        assertEquals("3s", shipped.getString("pekko.cluster.split-brain-resolver.stable-after"));
    }
}
