package dev.finitomata.samples;

import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.dashboard.FsmDashboard;
import dev.finitomata.micrometer.FinitomataMetrics;
import dev.finitomata.persistence.jdbc.DevPostgres;
import dev.finitomata.persistence.jdbc.JdbcPersistence;
import dev.finitomata.sharding.Infinitomata;
import dev.finitomata.sharding.it.NodeProcess;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One node of the demo's cluster, in a JVM of its own, configured as a deployment would be: the library's defaults,
 * plus this node's address, the seed nodes, its role, how many nodes with that role make a majority (no node hosts
 * orders before a majority is Up, so a restarted cluster does not pile every order onto its first node), and the
 * shared PostgreSQL. Runs the {@link OrderFsm}s of the
 * supervisor {@value #SUPERVISOR}, serves its meters for Prometheus (printing {@code METRICS <url>}) and the
 * dashboard (printing {@code DASHBOARD <url>}), and prints
 * {@code READY} once it is Up.
 *
 * <p>Arguments: {@code <port> <jdbc url> <seed port>...}.
 */
public final class DemoNode {

    static final String SYSTEM = "demo";
    static final String SUPERVISOR = "orders";
    /** The role of the nodes that host orders; the demo's own process joins without it, as a client. */
    static final String ROLE = "orders";

    private DemoNode() {
    }

    /** A member of the demo cluster on {@code port}: {@code role} "orders" hosts orders, anything else only asks. */
    static Config config(int port, String jdbcUrl, List<Integer> seedPorts, String role) {
        String seeds = seedPorts.stream().map(p -> "\"pekko://" + SYSTEM + "@127.0.0.1:" + p + "\"")
                .collect(Collectors.joining(", "));
        return ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = %d
                pekko.cluster.seed-nodes = [%s]
                pekko.cluster.roles = ["%s"]
                pekko.cluster.jmx.enabled = off
                pekko.loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "dev.finitomata.FsmLoggingFilter"
                finitomata.sharding.role = "%s"
                pekko.cluster.role.%s.min-nr-of-members = %d
                pekko.cluster.seed-node-timeout = %s
                """.formatted(port, seeds, role, ROLE, ROLE, seedPorts.size() / 2 + 1,
                        port == seedPorts.get(0) ? "10s" : "2s"))
                .withFallback(JdbcPersistence.config(jdbcUrl, DevPostgres.USER, DevPostgres.PASSWORD))
                .withFallback(ConfigFactory.load());
    }

    /**
     * Serves the node's meters ({@link FinitomataMetrics}) for Prometheus at {@code http://127.0.0.1:<port>/metrics}
     * with the JDK's HTTP server ({@code port} 0: any free one), until the ActorSystem terminates.
     *
     * @return the scrape address
     */
    static String serveMetrics(ActorSystem<?> system, int port) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new FinitomataMetrics(system).bindTo(registry);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        system.getWhenTerminated().thenRun(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
    }

    public static void main(String[] args) throws Exception {
        NodeProcess.prepareNode();
        int port = Integer.parseInt(args[0]);
        List<Integer> seeds = Arrays.stream(args).skip(2).map(Integer::parseInt).toList();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM, config(port, args[1], seeds, ROLE));
        Infinitomata.create(system, SUPERVISOR, OrderFsm.class, OrderFsm::new);
        System.out.println("METRICS " + serveMetrics(system, 0));
        ServerBinding dashboard = FsmDashboard.create(system).serve("127.0.0.1", 0).toCompletableFuture().join();
        System.out.println("DASHBOARD http://127.0.0.1:" + dashboard.localAddress().getPort() + "/");
        NodeProcess.serve(system);
    }
}
