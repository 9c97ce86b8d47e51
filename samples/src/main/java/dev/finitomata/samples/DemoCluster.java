package dev.finitomata.samples;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.sharding.Infinitomata;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The demo's real cluster: an embedded PostgreSQL, {@code size} {@link DemoNode} JVMs started with this JVM's java and
 * class path, and this process as a client member (it hosts no orders; it reaches them through the cluster with the
 * public API). The nodes become Up together once a majority joined; the oldest of them hosts the shard coordinators.
 */
final class DemoCluster implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    /** A node process and where it logs. */
    record Node(String label, int port, Process process, Path log, CompletableFuture<String> address) {
    }

    private final DemoDatabase database;
    private final List<Node> nodes = new ArrayList<>();
    private final ActorSystem<Void> client;
    private final Infinitomata<Order> orders;

    DemoCluster(Path data, int size) throws Exception {
        database = new DemoDatabase(data.resolve("postgres"));
        Path logs = Files.createDirectories(data.resolve("logs"));
        String logback = copyLogbackConfig(logs);
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(freePort());
        }
        for (int i = 0; i < size; i++) {
            nodes.add(start("node-" + (i + 1), ports.get(i), ports, logs, logback));
        }
        for (Node node : nodes) {
            try {
                node.address().get(STARTUP.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(node.label() + " was not Up within " + STARTUP + "; see " + node.log());
            }
        }
        client = ActorSystem.create(Behaviors.empty(), DemoNode.SYSTEM, ConfigFactory.parseString(
                        "pekko.coordinated-shutdown.exit-jvm = off\nfinitomata.ask-timeout = 10s")
                .withFallback(DemoNode.config(freePort(), database.url(), ports, "client")));
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (Cluster.get(client).selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the demo did not join its cluster within " + STARTUP);
            }
            Thread.sleep(20);
        }
        orders = Infinitomata.create(client, DemoNode.SUPERVISOR, OrderFsm.class, OrderFsm::new);
    }

    private Node start(String label, int port, List<Integer> seeds, Path logs, String logback) throws IOException {
        Path log = logs.resolve(label + ".log");
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens",
                "java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx512m",
                "-Dnode.log=" + log.toAbsolutePath(), "-Dlogback.configurationFile=" + logback,
                "-cp", System.getProperty("java.class.path"), DemoNode.class.getName(), Integer.toString(port),
                database.url()));
        seeds.forEach(p -> command.add(Integer.toString(p)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> awaitReady(process.getInputStream(), address), label + "-stdout");
        reader.setDaemon(true);
        reader.start();
        return new Node(label, port, process, log, address);
    }

    /** Completes {@code address} with the node's address once it prints {@code READY}; drops the rest. */
    private static void awaitReady(InputStream output, CompletableFuture<String> address) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    address.complete(line.substring("READY ".length()));
                }
            }
        } catch (IOException e) {
            address.completeExceptionally(e);
        }
        address.completeExceptionally(new IllegalStateException("the node exited"));
    }

    /** The nodes' Logback configuration, out of the class path (it may be in a jar) next to their logs. */
    private static String copyLogbackConfig(Path logs) throws IOException {
        Path config = logs.resolve("demo-node-logback.xml");
        try (InputStream in = DemoCluster.class.getResourceAsStream("/demo-node-logback.xml")) {
            Files.copy(in, config, StandardCopyOption.REPLACE_EXISTING);
        }
        return config.toAbsolutePath().toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The orders, through this process's member of the cluster. */
    Infinitomata<Order> orders() {
        return orders;
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The oldest node that hosts orders: it runs the shard coordinators, the hardest node to lose. */
    Node oldest() {
        List<Member> hosts = new ArrayList<>();
        Cluster.get(client).state().getMembers().forEach(m -> {
            if (m.status() == MemberStatus.up() && m.hasRole(DemoNode.ROLE)) {
                hosts.add(m);
            }
        });
        String address = hosts.stream().min((a, b) -> a.isOlderThan(b) ? -1 : 1).orElseThrow().address().toString();
        return nodes.stream().filter(n -> address.equals(n.address().getNow(""))).findFirst().orElseThrow();
    }

    /** Kills {@code victim} as {@code kill -9} does: no leave, no hand-over. */
    void crash(Node victim) throws InterruptedException {
        victim.process().destroyForcibly();
        victim.process().waitFor(30, TimeUnit.SECONDS);
    }

    String labelOf(String address) {
        for (Node node : nodes) {
            if (address.equals(node.address().getNow(""))) {
                return node.label();
            }
        }
        return address;
    }

    /** ERROR lines in the nodes' logs. */
    long errors() {
        long errors = 0;
        for (Node node : nodes) {
            try {
                errors += Files.exists(node.log()) ? Files.readAllLines(node.log()).stream()
                        .filter(l -> l.contains(" ERROR ")).count() : 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return errors;
    }

    @Override
    public void close() throws Exception {
        client.terminate();
        client.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (Node node : nodes) {
            node.process().destroy(); // SIGTERM: Pekko's coordinated shutdown leaves the cluster
        }
        for (Node node : nodes) {
            if (!node.process().waitFor(20, TimeUnit.SECONDS)) {
                node.process().destroyForcibly();
            }
        }
        database.close();
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
