package dev.finitomata.samples;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.persistence.jdbc.DevPostgres;
import dev.finitomata.sharding.Infinitomata;
import dev.finitomata.sharding.it.NodeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The demo's real cluster: an embedded PostgreSQL, {@code size} {@link DemoNode} JVMs started with this JVM's java and
 * class path (through the launcher of the project's multi-process cluster test), and this process as a client member
 * (it hosts no orders; it reaches them through the cluster with the public API). The nodes become Up together once a
 * majority joined; the oldest of them hosts the shard coordinators.
 */
final class DemoCluster implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final DevPostgres database;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final ActorSystem<Void> client;
    private final Infinitomata<Order> orders;

    DemoCluster(Path data, int size) throws Exception {
        database = DevPostgres.start(data.resolve("postgres"));
        Path logs = Files.createDirectories(data.resolve("logs"));
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(NodeProcess.freePort());
        }
        for (int i = 0; i < size; i++) {
            String label = "node-" + (i + 1);
            Files.deleteIfExists(logs.resolve(label + ".log"));
            // C1 only: a node lives for a minute, and on two cores C2's compiler threads cost it more than they give
            // back (the 10,000 orders: 52 s in all and 896 transitions/s, against 68 s and 715/s with C2)
            nodes.add(NodeProcess.start(label, DemoNode.class, ports.get(i), database.url(), ports, logs,
                    "demo-node-logback.xml", List.of("-XX:TieredStopAtLevel=1")));
        }
        for (NodeProcess node : nodes) {
            node.awaitReady(STARTUP);
        }
        client = ActorSystem.create(Behaviors.empty(), DemoNode.SYSTEM, ConfigFactory.parseString(
                        "pekko.coordinated-shutdown.exit-jvm = off\nfinitomata.ask-timeout = 10s")
                .withFallback(DemoNode.config(NodeProcess.freePort(), database.url(), ports, "client")));
        if (!NodeProcess.awaitUp(client, STARTUP)) {
            throw new IllegalStateException("the demo did not join its cluster within " + STARTUP);
        }
        orders = Infinitomata.create(client, DemoNode.SUPERVISOR, OrderFsm.class, OrderFsm::new);
    }

    /** The orders, through this process's member of the cluster. */
    Infinitomata<Order> orders() {
        return orders;
    }

    /** The oldest node that hosts orders: it runs the shard coordinators, the hardest node to lose. */
    NodeProcess oldest() {
        List<Member> hosts = new ArrayList<>();
        Cluster.get(client).state().getMembers().forEach(m -> {
            if (m.status() == MemberStatus.up() && m.hasRole(DemoNode.ROLE)) {
                hosts.add(m);
            }
        });
        String address = hosts.stream().min((a, b) -> a.isOlderThan(b) ? -1 : 1).orElseThrow().address().toString();
        return nodes.stream().filter(n -> address.equals(n.address())).findFirst().orElseThrow();
    }

    String labelOf(String address) {
        return nodes.stream().filter(n -> address.equals(n.address())).map(NodeProcess::label).findFirst()
                .orElse(address);
    }

    /**
     * The {@code finitomata.fsms} gauges of the live nodes' Prometheus endpoints, summed per state: what
     * {@code countByState()} answers, as an operator's Prometheus would see it.
     */
    Map<String, Long> scrapedFsmsByState() throws IOException, InterruptedException {
        Map<String, Long> byState = new TreeMap<>();
        Pattern gauge = Pattern.compile("^finitomata_fsms\\{fsm_type=\"" + DemoNode.SUPERVISOR
                + "\",state=\"([^\"]+)\"} ([0-9.]+)$", Pattern.MULTILINE);
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (NodeProcess node : nodes) {
                if (!node.alive() || node.metrics().isEmpty()) {
                    continue;
                }
                String body = http.send(HttpRequest.newBuilder(URI.create(node.metrics().get())).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = gauge.matcher(body);
                while (m.find()) {
                    long n = (long) Double.parseDouble(m.group(2));
                    if (n > 0) {
                        byState.merge(m.group(1), n, Long::sum);
                    }
                }
            }
        }
        return byState;
    }

    /** The dashboard of a live node that hosts orders. */
    java.util.Optional<String> dashboard() {
        return nodes.stream().filter(NodeProcess::alive).flatMap(n -> n.dashboard().stream()).findFirst();
    }

    /** The live nodes' scrape addresses. */
    List<String> metricsEndpoints() {
        return nodes.stream().filter(NodeProcess::alive).flatMap(n -> n.metrics().stream()).toList();
    }

    /** ERROR lines in the nodes' logs. */
    long errors() {
        return nodes.stream().mapToLong(n -> n.errors().size()).sum();
    }

    @Override
    public void close() throws IOException {
        client.terminate();
        client.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
        nodes.forEach(NodeProcess::terminate); // SIGTERM: Pekko's coordinated shutdown leaves the cluster
        for (NodeProcess node : nodes) {
            node.awaitExit(Duration.ofSeconds(20));
        }
        database.close();
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
