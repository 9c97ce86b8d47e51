package dev.finitomata.sharding.it;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.persistence.jdbc.EmbeddedPg;
import dev.finitomata.sharding.Infinitomata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Leave;

/**
 * A real cluster for tests and benchmarks: {@code size} {@link ClusterNode} JVMs sharing a fresh database of the
 * embedded PostgreSQL, and a client member in this JVM (role {@code client}: it hosts no FSMs and reaches them
 * through sharding, with the public API). Node 1 is the first seed node; the nodes become Up together once a majority
 * joined, so any of them may be the oldest, which hosts the shard coordinators ({@link ClusterProbes#oldestFsmNode}).
 */
public final class RealCluster implements AutoCloseable {

    public static final Duration STARTUP = Duration.ofSeconds(90);

    private final int size;
    private final Path logDir;
    private final String jdbcUrl;
    private final List<Integer> ports = new ArrayList<>();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private List<String> jvmOptions;
    private ActorSystem<Void> client;
    private Infinitomata<LoadFsm.Load> fsms;

    public RealCluster(int size, Path logDir, String database, List<String> jvmOptions) {
        this(size, logDir, jvmOptions, EmbeddedPg.shared().url(database));
    }

    /** A cluster on the database at {@code jdbcUrl} (with the Finitomata schema), such as a {@code CrashablePg}. */
    public RealCluster(int size, Path logDir, List<String> jvmOptions, String jdbcUrl) {
        this.size = size;
        this.logDir = logDir;
        this.jvmOptions = jvmOptions;
        this.jdbcUrl = jdbcUrl;
        deleteLogs(logDir); // error counts are per run
        for (int i = 0; i < size; i++) {
            ports.add(NodeProcess.freePort());
        }
    }

    private static void deleteLogs(Path logDir) {
        try (var files = java.nio.file.Files.exists(logDir) ? java.nio.file.Files.list(logDir)
                : java.util.stream.Stream.<Path>empty()) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                java.nio.file.Files.delete(log);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts every node (together, as a deployment does) and the client; answers when all are Up. */
    public RealCluster start() throws InterruptedException {
        for (int i = 0; i < size; i++) {
            nodes.add(NodeProcess.start("node-" + (i + 1), ClusterNode.class, ports.get(i), jdbcUrl, ports, logDir,
                    jvmOptions));
        }
        for (NodeProcess node : nodes) {
            node.awaitReady(STARTUP);
        }
        startClient();
        return this;
    }

    private void startClient() throws InterruptedException {
        client = ActorSystem.create(Behaviors.empty(), ClusterNode.SYSTEM, ConfigFactory.parseString("""
                pekko.coordinated-shutdown.exit-jvm = off
                pekko.loglevel = WARNING
                finitomata.ask-timeout = 5s
                """).withFallback(ClusterNode.config(NodeProcess.freePort(), jdbcUrl, ports, "client")));
        if (!NodeProcess.awaitUp(client, STARTUP)) {
            throw new AssertionError("the client did not join within " + STARTUP);
        }
        fsms = Infinitomata.create(client, ClusterNode.SUPERVISOR, LoadFsm.class, LoadFsm::new);
    }

    /** The client member's ActorSystem. */
    public ActorSystem<Void> client() {
        return client;
    }

    /** The FSMs, through the client member. */
    public Infinitomata<LoadFsm.Load> fsms() {
        return fsms;
    }

    public List<NodeProcess> nodes() {
        return nodes;
    }

    /** The node process at {@code address}, if it is one of ours. */
    public NodeProcess nodeAt(String address) {
        return nodes.stream().filter(n -> address.equals(n.address())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node at " + address));
    }

    /** Kills every node with SIGKILL, after the client left (it would be alone, a minority, and down itself). */
    public void killAll() throws Exception {
        Cluster.get(client).manager().tell(new Leave(Cluster.get(client).selfMember().address()));
        client.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (NodeProcess node : nodes) {
            node.kill();
        }
    }

    /** Starts node {@code index} (0-based) again on its port, after it was killed: it rejoins the cluster. */
    public NodeProcess restartNode(int index) throws InterruptedException {
        NodeProcess node = NodeProcess.start("node-" + (index + 1), ClusterNode.class, ports.get(index), jdbcUrl,
                ports, logDir, jvmOptions);
        nodes.set(index, node);
        return node.awaitReady(STARTUP);
    }

    /** Starts every node again on the same ports, and a new client. */
    public RealCluster restart() throws InterruptedException {
        nodes.clear();
        return start();
    }

    /** Starts every node again on the same ports with other JVM options (a deployment of new code), and a client. */
    public RealCluster restart(List<String> options) throws InterruptedException {
        this.jvmOptions = options;
        return restart();
    }

    /** The ERROR lines of every node's log so far, per node. */
    public Map<String, Integer> errorCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        nodes.forEach(n -> counts.put(n.label(), n.errors().size()));
        return counts;
    }

    public int errors() {
        return nodes.stream().mapToInt(n -> n.errors().size()).sum();
    }

    @Override
    public void close() {
        if (client != null) {
            client.terminate();
            client.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
        }
        for (NodeProcess node : nodes) {
            node.close();
        }
    }
}
