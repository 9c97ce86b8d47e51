package dev.finitomata.sharding.it;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.sharding.Infinitomata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A real cluster whose network can be cut: three {@link ClusterNode} JVMs and a client member in this JVM, each on a
 * loopback address of its own ({@code 127.0.0.x}) that it also connects out from, reached by the others through a
 * {@link PartitionProxy}. {@link #cut} separates a node from everyone else in both directions (it keeps reaching the
 * database), {@link #heal} joins them again; {@link #kill} and {@link #restart} are kill -9 and an operator's restart.
 */
public final class ProxiedCluster implements AutoCloseable {

    private static final int MEMBERS = 4; // three nodes and the client

    /** Member i: its address, its canonical (proxy) port and the port it binds. */
    private record Member(String ip, int port, int bindPort) {
        String address() {
            return "pekko://" + ClusterNode.SYSTEM + "@" + ip + ":" + port;
        }
    }

    private final Path logDir;
    private final String jdbcUrl;
    private final List<Member> members = new ArrayList<>();
    private final List<PartitionProxy> proxies = new ArrayList<>();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private ActorSystem<Void> client;
    private Infinitomata<LoadFsm.Load> fsms;

    /** On the database at {@code jdbcUrl} (with the schema); {@code firstIp}: the last byte of member 1's address. */
    public ProxiedCluster(Path logDir, String jdbcUrl, int firstIp) {
        this.logDir = logDir;
        this.jdbcUrl = jdbcUrl;
        deleteLogs();
        for (int i = 0; i < MEMBERS; i++) {
            Member m = new Member("127.0.0." + (firstIp + i), NodeProcess.freePort(), NodeProcess.freePort());
            members.add(m);
            proxies.add(new PartitionProxy(m.ip(), m.port(), m.ip(), m.bindPort()));
        }
    }

    /** Starts the three nodes together and the client; answers when all are Up. */
    public ProxiedCluster start() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            nodes.add(startNode(i));
        }
        for (NodeProcess node : nodes) {
            node.awaitReady(RealCluster.STARTUP);
        }
        client = ActorSystem.create(Behaviors.empty(), ClusterNode.SYSTEM, ConfigFactory.parseString(
                network(members.get(3)) + """
                pekko.coordinated-shutdown.exit-jvm = off
                pekko.loglevel = WARNING
                finitomata.ask-timeout = 5s
                """).withFallback(ClusterNode.config(members.get(3).port(), jdbcUrl, List.of(), "client")));
        if (!NodeProcess.awaitUp(client, RealCluster.STARTUP)) {
            throw new AssertionError("the client did not join within " + RealCluster.STARTUP);
        }
        fsms = Infinitomata.create(client, ClusterNode.SUPERVISOR, LoadFsm.class, LoadFsm::new);
        return this;
    }

    public Infinitomata<LoadFsm.Load> fsms() {
        return fsms;
    }

    /** Node {@code i} (0-2). */
    public NodeProcess node(int i) {
        return nodes.get(i);
    }

    /** Cuts node {@code i} off from every other member, both ways. */
    public void cut(int i) {
        proxies.get(i).cut(Set.of("*"));
        for (int j = 0; j < MEMBERS; j++) {
            if (j != i) {
                proxies.get(j).cut(Set.of(members.get(i).ip()));
            }
        }
    }

    /** Lets every member reach every other again. */
    public void heal() {
        proxies.forEach(PartitionProxy::heal);
    }

    /** kill -9 of node {@code i}. */
    public void kill(int i) {
        nodes.get(i).kill();
    }

    /** Starts node {@code i} again (after it was killed, or downed and gone); answers once it is Up. */
    public NodeProcess restart(int i) throws InterruptedException {
        if (nodes.get(i).alive()) {
            nodes.get(i).kill();
        }
        NodeProcess node = startNode(i);
        nodes.set(i, node);
        return node.awaitReady(RealCluster.STARTUP);
    }

    /** The ERROR lines of every node's log file so far (restarted nodes append to theirs). */
    public List<String> errors() throws java.io.IOException {
        List<String> errors = new ArrayList<>();
        try (var files = Files.list(logDir)) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                Files.readAllLines(log).stream().filter(l -> l.contains(" ERROR ")).forEach(errors::add);
            }
        }
        return errors;
    }

    /** The lines of every node's log file so far that contain {@code text}. */
    public List<String> linesWith(String text) throws java.io.IOException {
        List<String> found = new ArrayList<>();
        try (var files = Files.list(logDir)) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                Files.readAllLines(log).stream().filter(l -> l.contains(text)).forEach(found::add);
            }
        }
        return found;
    }

    private NodeProcess startNode(int i) {
        List<String> options = new ArrayList<>();
        for (String line : network(members.get(i)).split("\n")) {
            String[] kv = line.split(" = ", 2);
            options.add("-D" + kv[0].trim() + "=" + kv[1].trim().replace("\"", ""));
        }
        return NodeProcess.start("node-" + (i + 1), ClusterNode.class, members.get(i).port(), jdbcUrl, List.of(),
                logDir, options);
    }

    /** The network settings of {@code self}: its address behind its proxy, and the seed nodes (the three nodes). */
    private String network(Member self) {
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
        if (self == members.get(0)) {
            s.append("pekko.cluster.seed-node-timeout = ").append(ClusterNode.FIRST_SEED_NODE_TIMEOUT).append('\n');
        }
        return s.toString();
    }

    private void deleteLogs() {
        try {
            if (Files.exists(logDir)) {
                try (var files = Files.list(logDir)) {
                    for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                        Files.delete(log);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.terminate();
            client.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
        }
        nodes.forEach(NodeProcess::close);
        proxies.forEach(PartitionProxy::close);
    }
}
