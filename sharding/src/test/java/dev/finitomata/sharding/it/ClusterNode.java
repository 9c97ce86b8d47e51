package dev.finitomata.sharding.it;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.forks.ApplicantFsm;
import dev.finitomata.forks.DocumentFsm;
import dev.finitomata.persistence.jdbc.JdbcPersistence;
import dev.finitomata.sharding.Infinitomata;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One cluster node in its own JVM, as a deployment runs it: the library's defaults, with only what a deployment must
 * say (address, seed nodes, the node's role, how many nodes of that role make a majority, the database). Hosts {@link LoadFsm}s under the supervisor id
 * {@value #SUPERVISOR} (and, with {@code -D}{@value #FLOWS}{@code =true}, the retrying and forking FSMs of
 * {@code FlowsFailoverTest}), and prints {@code READY} once it is Up.
 *
 * <p>Arguments: {@code <port> <jdbc url> <seed port>...}; system properties {@code node.role} ({@code fsm} by
 * default) and {@code logback.configurationFile}.
 */
public final class ClusterNode {

    public static final String SUPERVISOR = "load";
    public static final String ROLE = "fsm";
    public static final String SYSTEM = "cluster-it";
    /** The system property that makes a node host the flows too: {@link ParcelFsm}s, applicants and documents. */
    public static final String FLOWS = "finitomata.it.flows";
    public static final String PARCELS = "parcels";
    public static final String APPLICANTS = "applicants";
    /** The supervisor id under which {@link ApplicantFsm} forks its documents. */
    public static final String DOCUMENTS = "documents";

    private ClusterNode() {
    }

    /**
     * What a deployment configures on top of the library's defaults. {@code min-nr-of-members} is a majority of the seed
     * nodes: after a full restart, no node hosts shards before a majority is Up (Pekko's advice), so that the first
     * node Up does not take every remembered shard only to hand most of them over again. The first seed node waits
     * {@value #FIRST_SEED_NODE_TIMEOUT} for a running cluster before it forms one of its own (docs/cluster.md, section 2).
     */
    public static Config config(int port, String jdbcUrl, List<Integer> seedPorts, String role) {
        String seeds = seedPorts.stream().map(p -> "\"pekko://" + SYSTEM + "@127.0.0.1:" + p + "\"")
                .collect(Collectors.joining(", "));
        // system properties first: a benchmark may override any setting of the nodes
        return ConfigFactory.systemProperties().withFallback(ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = %d
                pekko.cluster.seed-nodes = [%s]
                pekko.cluster.roles = ["%s"]
                pekko.cluster.jmx.enabled = off
                pekko.coordinated-shutdown.exit-jvm = on
                pekko.loglevel = INFO
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "dev.finitomata.FsmLoggingFilter"
                finitomata.sharding.role = "%s"
                pekko.cluster.role.%s.min-nr-of-members = %d
                %s
                """.formatted(port, seeds, role, ROLE, ROLE, seedPorts.size() / 2 + 1,
                firstSeed(port, seedPorts) ? "pekko.cluster.seed-node-timeout = " + FIRST_SEED_NODE_TIMEOUT : "")))
                .withFallback(JdbcPersistence.config(jdbcUrl, "postgres", "postgres"))
                .withFallback(ConfigFactory.load());
    }

    /** How long the first seed node waits for a running cluster to answer before it forms a new one. */
    public static final String FIRST_SEED_NODE_TIMEOUT = "10s";

    private static boolean firstSeed(int port, List<Integer> seedPorts) {
        return seedPorts.size() > 1 && seedPorts.get(0) == port;
    }

    public static void main(String[] args) throws Exception {
        NodeProcess.prepareNode();
        int port = Integer.parseInt(args[0]);
        String jdbcUrl = args[1];
        List<Integer> seeds = java.util.Arrays.stream(args).skip(2).map(Integer::parseInt).toList();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM,
                config(port, jdbcUrl, seeds, System.getProperty("node.role", ROLE)));
        try {
            host(system);
        } catch (RuntimeException e) { // the node's JVM ends: the launcher reports it at once, instead of waiting
            e.printStackTrace();
            System.exit(2);
        }
        NodeProcess.serve(system);
    }

    private static void host(ActorSystem<Void> system) {
        Infinitomata.create(system, SUPERVISOR, LoadFsm.class, LoadFsm::new);
        if (Boolean.getBoolean(FLOWS)) {
            Infinitomata.create(system, PARCELS, ParcelFsm.class, ParcelFsm::new);
            Infinitomata.create(system, APPLICANTS, ApplicantFsm.class, ApplicantFsm::new);
            Infinitomata.create(system, DOCUMENTS, DocumentFsm.class, DocumentFsm::new);
        }
    }
}
