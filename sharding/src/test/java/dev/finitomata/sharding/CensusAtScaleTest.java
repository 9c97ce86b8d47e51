package dev.finitomata.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.FsmLocation;
import dev.finitomata.RecordingFsm;
import dev.finitomata.StartResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code all()}, {@code census()} and {@code random()} with more FSMs on a node than fit in one remote message: a
 * node's names (14,000 over two nodes, 52 characters each, about 360 KB per node) exceed Artery's 256 KiB frame, so
 * its census answers in parts. Before, the other node's answer was dropped and it counted as not answering. Where the
 * shards land depends on the nodes' (random) ports, so the census is read from both nodes: the node with the larger
 * share (at least 7,000 names, about 360 KB) answers the other in parts either way.
 */
// not beside a node-JVM test (NodeProcessTest): unlike the other in-process tests, its 14,000 starts keep both cores
// busy, and two CI runs in a row saw PassivatedDelaysTest's nodes, run beside it, too slow for that test's timings
// Last of the classes run in the test thread (junit-platform.properties): waiting for the lock, it holds that thread.
@org.junit.jupiter.api.parallel.ResourceLock("node-jvms")
@org.junit.jupiter.api.Order(Integer.MAX_VALUE)
class CensusAtScaleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int FSMS = 14_000;
    private static final String NAME = "a-rather-long-order-name-of-fifty-two-chars-%08d";

    private ClusterHost host;

    @AfterEach
    void shutdown() {
        if (host != null) {
            host.close();
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void allCensusAndRandomAnswerForEveryNodeWhenANodesNamesExceedOneMessage() throws Exception {
        // 14,000 starts at once, on two cores that a node-JVM test may share: each start may wait longer than the
        // default ask-timeout (10 s; one CI run saw the JVM stall 2.4 s twice). What is tested here is the census
        host = new ClusterHost(2, ConfigFactory.parseString("""
                finitomata.sharding.census-timeout = 20s
                finitomata.ask-timeout = 60s
                """)
                .withFallback(ClusterHost.config("census-" + System.nanoTime(), null))
                .withFallback(ConfigFactory.load()));
        List<Infinitomata<Counter>> fsms = host.onEveryNode(kit -> Infinitomata.create(kit.system(), "census-scale",
                RecordingFsm.class, RecordingFsm::new));
        Infinitomata<Counter> onA = fsms.get(0);
        List<CompletableFuture<StartResult>> starts = new ArrayList<>(FSMS);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < FSMS; i++) {
            String name = NAME.formatted(i);
            names.add(name);
            starts.add(onA.start(name, new Counter(0)).toCompletableFuture());
        }
        await(CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)));

        FsmCensus census = await(onA.census());
        assertEquals(Set.of(), census.missingNodes(), "every node answered");
        assertEquals(names, census.fsms().keySet());
        Map<String, Long> perNode = new java.util.HashMap<>();
        census.fsms().values().forEach(l -> perNode.merge(l.node(), 1L, Long::sum));
        // the ring places shards by the nodes' addresses (random ports): either node may hold the larger share, which
        // is at least half of them, more than one message carries; node A's census above reads B's names from afar,
        // and B's all() below reads A's, so the larger share crosses in parts either way
        long larger = perNode.values().stream().mapToLong(Long::longValue).max().orElse(0);
        assertTrue(larger * NAME.formatted(0).length() > 256 * 1024,
                "one node holds more names than one message carries: " + perNode);
        Map<String, FsmLocation> all = await(fsms.get(1).all());
        assertEquals(FSMS, all.size(), "from the other node too");
        Set<String> nodes = new HashSet<>(perNode.keySet());
        all.values().forEach(l -> nodes.remove(l.node()));
        assertEquals(Set.of(), nodes, "the other node's answer holds every node's FSMs");
        assertEquals(FSMS, await(onA.count()));
        for (int i = 0; i < 20; i++) {
            assertTrue(names.contains(await(onA.random()).orElseThrow()));
        }
    }
}
