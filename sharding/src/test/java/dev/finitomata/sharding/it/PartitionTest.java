package dev.finitomata.sharding.it;

import static dev.finitomata.sharding.it.ClusterProbes.answerAgain;
import static dev.finitomata.sharding.it.ClusterProbes.await;
import static dev.finitomata.sharding.it.ClusterProbes.eventually;
import static dev.finitomata.sharding.it.ClusterProbes.firstMedianLast;
import static dev.finitomata.sharding.it.ClusterProbes.forAll;
import static dev.finitomata.sharding.it.ClusterProbes.forAllCounting;
import static dev.finitomata.sharding.it.ClusterProbes.locatedOn;
import static dev.finitomata.sharding.it.ClusterProbes.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.persistence.jdbc.EmbeddedPg;
import dev.finitomata.sharding.Infinitomata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A network partition across processes: three node JVMs and the client, each on a loopback address of its own behind
 * a {@link PartitionProxy}, share a real PostgreSQL (which every node keeps reaching). Under load, node 3 is cut off
 * from the others in both directions. The split brain resolver must down it (it leaves and its JVM exits) and its
 * FSMs must come back on the majority within the failover budget; no FSM may ever run on both sides, which the
 * journal shows (no sequence number refused as a duplicate, no gap, no writer interleaved with another); then the
 * network heals, node 3 is started again as an operator would, it rejoins, and nothing acknowledged is lost.
 */
class PartitionTest {

    private static final int FSMS = 300;
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Path LOGS = Path.of("target", "partition-it");

    private final List<PartitionProxy> proxies = new ArrayList<>();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private ActorSystem<Void> client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.terminate();
            client.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
        }
        nodes.forEach(NodeProcess::close);
        proxies.forEach(PartitionProxy::close);
    }

    /** Member i (0-2: nodes, 3: the client): its address, its canonical (proxy) port and the port it binds. */
    private record Member(String ip, int port, int bindPort) {
        String address() {
            return "pekko://" + ClusterNode.SYSTEM + "@" + ip + ":" + port;
        }
    }

    @Test
    void theCutOffNodeIsDownedItsFsmsMoveAndNoFsmEverRunsOnBothSides() throws Exception {
        deleteLogs();
        EmbeddedPg pg = EmbeddedPg.shared();
        String database = pg.freshDatabase("partition_it");
        String jdbcUrl = pg.url(database);
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Member m = new Member("127.0.0." + (21 + i), NodeProcess.freePort(), NodeProcess.freePort());
            members.add(m);
            proxies.add(new PartitionProxy(m.ip(), m.port(), m.ip(), m.bindPort()));
        }
        for (int i = 0; i < 3; i++) {
            nodes.add(startNode(i, members, jdbcUrl));
        }
        for (NodeProcess node : nodes) {
            node.awaitReady(RealCluster.STARTUP);
        }
        client = ActorSystem.create(Behaviors.empty(), ClusterNode.SYSTEM, ConfigFactory.parseString(
                network(members.get(3), members) + """
                pekko.coordinated-shutdown.exit-jvm = off
                pekko.loglevel = WARNING
                finitomata.ask-timeout = 5s
                """).withFallback(ClusterNode.config(members.get(3).port(), jdbcUrl, List.of(), "client")));
        assertTrue(NodeProcess.awaitUp(client, RealCluster.STARTUP), "the client joined");
        Infinitomata<LoadFsm.Load> fsms = Infinitomata.create(client, ClusterNode.SUPERVISOR, LoadFsm.class,
                LoadFsm::new);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FSMS; i++) {
            names.add("fsm-" + i);
        }
        List<String> delayed = names.stream().filter(n -> Integer.parseInt(n.substring(4)) % 10 == 3).toList();
        forAllCounting(names, n -> fsms.start(n, new LoadFsm.Load(0, 0, 0, false)));
        forAll(names, n -> fsms.transitionAndWait(n, "start", null));
        delayed.forEach(n -> fsms.transition(n, "delayed", null, Duration.ofSeconds(15))); // due after the cut
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        forAll(names, n -> fsms.transitionAndWait(n, "work", null)
                .thenApply(s -> acknowledged.merge(n, s.payload().works(), Math::max)));

        NodeProcess cutOff = nodes.get(2);
        List<String> onCutOff = locatedOn(fsms, names, cutOff.address());
        assertFalse(onCutOff.isEmpty(), "some FSMs live on node 3");
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        Thread load = Thread.ofVirtual().start(() -> {
            while (loading.get()) {
                String n = names.get(ThreadLocalRandom.current().nextInt(names.size()));
                sent.incrementAndGet();
                fsms.transitionAndWait(n, "work", null).thenAccept(s -> acknowledged.merge(n, s.payload().works(),
                        Math::max));
                sleep(5);
            }
        });
        sleep(1_000);

        // ---- cut node 3 off, both ways: nobody reaches it, it reaches nobody ----
        long cutAt = System.nanoTime();
        String cutIp = members.get(2).ip();
        proxies.get(2).cut(Set.of("*"));
        for (int i : List.of(0, 1, 3)) {
            proxies.get(i).cut(Set.of(cutIp));
        }
        List<Double> answered = answerAgain(fsms, onCutOff, cutAt, PATIENCE, () -> { });
        System.out.printf("partition: node 3's %d FSMs answered from the majority after %s (first, median, last)%n",
                onCutOff.size(), firstMedianLast(answered));
        double budget = 10 + ConfigFactory.load().getDuration("pekko.cluster.split-brain-resolver.stable-after")
                .toMillis() / 1000.0;
        assertTrue(answered.get(answered.size() - 1) <= budget, "back within " + budget + " s of the cut");
        eventually(Duration.ofSeconds(60), () -> !cutOff.alive(), "node 3 downed itself and its JVM exited");
        System.out.printf("node 3's JVM exited %.1f s after the cut%n", (System.nanoTime() - cutAt) / 1e9);
        eventually(PATIENCE, () -> await(fsms.count()) == FSMS, "every FSM runs on the majority");

        // ---- heal, and start node 3 again (an operator's restart): it rejoins ----
        proxies.forEach(PartitionProxy::heal);
        NodeProcess restarted = startNode(2, members, jdbcUrl);
        nodes.set(2, restarted);
        restarted.awaitReady(RealCluster.STARTUP);
        loading.set(false);
        load.join();
        eventually(PATIENCE, () -> await(fsms.count()) == FSMS, "every FSM runs once node 3 is back");
        // the delays fell due after the cut: each fired exactly once, wherever its FSM was
        eventually(PATIENCE, () -> delayed.stream().allMatch(n -> await(fsms.state(n)).orElseThrow().payload()
                .delayed() == 1), "every delayed transition fired");
        Map<String, Integer> lost = new HashMap<>();
        for (String n : names) {
            LoadFsm.Load now = await(fsms.state(n)).orElseThrow().payload();
            if (now.works() < acknowledged.getOrDefault(n, 0)) {
                lost.put(n, acknowledged.get(n) - now.works());
            }
            assertTrue(now.delayed() <= 1, n + " fired its delay " + now.delayed() + " times");
        }
        assertEquals(Map.of(), lost, "acknowledged transitions lost, per FSM");

        // ---- no FSM ever ran on both sides: the journal and the logs say so ----
        String journal = checkJournal(jdbcUrl);
        System.out.println("journal: " + journal + "; " + sent.get() + " transitions sent during the test");
        for (NodeProcess node : nodes) {
            List<String> duplicates = Files.readAllLines(node.log()).stream()
                    .filter(l -> l.contains("duplicate key")).toList();
            assertEquals(List.of(), duplicates, node.label() + " saw a write refused as a duplicate");
        }
        List<String> errors = new ArrayList<>();
        for (Path log : logFiles()) {
            Files.readAllLines(log).stream().filter(l -> l.contains(" ERROR ")).forEach(errors::add);
        }
        assertEquals(List.of(), errors.stream().limit(5).toList(), "ERROR lines in the nodes' logs");
    }

    private NodeProcess startNode(int i, List<Member> members, String jdbcUrl) {
        List<String> options = new ArrayList<>();
        for (String line : network(members.get(i), members).split("\n")) {
            if (!line.isBlank()) {
                String[] kv = line.split(" = ", 2);
                options.add("-D" + kv[0].trim() + "=" + kv[1].trim().replace("\"", ""));
            }
        }
        return NodeProcess.start("node-" + (i + 1), ClusterNode.class, members.get(i).port(), jdbcUrl, List.of(),
                LOGS, options);
    }

    /** The network settings of {@code self}: its address behind its proxy, and the seed nodes (the three nodes). */
    private static String network(Member self, List<Member> members) {
        StringBuilder s = new StringBuilder();
        s.append("pekko.remote.artery.canonical.hostname = \"").append(self.ip()).append("\"\n");
        s.append("pekko.remote.artery.canonical.port = ").append(self.port()).append('\n');
        s.append("pekko.remote.artery.bind.hostname = \"").append(self.ip()).append("\"\n");
        s.append("pekko.remote.artery.bind.port = ").append(self.bindPort()).append('\n');
        s.append("pekko.remote.artery.advanced.tcp.outbound-client-hostname = \"").append(self.ip()).append("\"\n");
        for (int i = 0; i < 3; i++) {
            s.append("pekko.cluster.seed-nodes.").append(i).append(" = \"").append(members.get(i).address())
                    .append("\"\n");
        }
        s.append("pekko.cluster.role.").append(ClusterNode.ROLE).append(".min-nr-of-members = 2\n");
        return s.toString();
    }

    /**
     * Checks every FSM's journal: sequence numbers from 1 without a gap, and each writer (an incarnation of the FSM
     * actor) in one block, never interleaved with another's. Answers a summary.
     */
    private static String checkJournal(String jdbcUrl) throws Exception {
        Map<String, List<String>> writers = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        int events = 0;
        try (Connection c = DriverManager.getConnection(jdbcUrl, EmbeddedPg.USER, EmbeddedPg.PASSWORD);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT persistence_id, sequence_number, writer FROM event_journal "
                     + "WHERE persistence_id LIKE 'fsm|load|%' ORDER BY persistence_id, sequence_number")) {
            while (r.next()) {
                events++;
                String pid = r.getString(1);
                long seq = r.getLong(2);
                String writer = r.getString(3);
                long expected = last.getOrDefault(pid, 0L) + 1;
                assertEquals(expected, seq, pid + ": a gap or a reordering in its journal");
                last.put(pid, seq);
                List<String> seen = writers.computeIfAbsent(pid, p -> new ArrayList<>());
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(writer)) {
                    assertFalse(seen.contains(writer), pid + ": writer " + writer + " wrote again after another "
                            + "writer (two incarnations at once): " + seen);
                    seen.add(writer);
                }
            }
        }
        assertEquals(FSMS, last.size(), "every FSM has a journal");
        return events + " events of " + last.size() + " FSMs, sequence numbers without gaps, writers never "
                + "interleaved";
    }

    private static List<Path> logFiles() throws java.io.IOException {
        try (var files = Files.list(LOGS)) {
            return files.filter(f -> f.toString().endsWith(".log")).toList();
        }
    }

    private static void deleteLogs() throws java.io.IOException {
        if (Files.exists(LOGS)) {
            for (Path log : logFiles()) {
                Files.delete(log);
            }
        }
    }
}
