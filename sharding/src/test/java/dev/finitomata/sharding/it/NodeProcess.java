package dev.finitomata.sharding.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * A {@link ClusterNode} in a JVM of its own, started with this JVM's java and class path: kill it with
 * {@link #kill()} (SIGKILL, as {@code kill -9}), read its log with {@link #errors()}.
 */
public final class NodeProcess implements AutoCloseable {

    private final String label;
    private final Process process;
    private final Path log;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile String address;
    private volatile String metrics;
    private volatile String dashboard;

    private NodeProcess(String label, Process process, Path log) {
        this.label = label;
        this.process = process;
        this.log = log;
        process.onExit().thenRun(ready::countDown); // a node that ended will never be ready: say so at once
        Thread reader = new Thread(this::readOutput, label + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Called first in a node's {@code main}. Initializes logging before any other thread can log (else SLF4J replays
     * the early calls and warns about it), and ends this JVM (as kill -9 would) when the process that started it is
     * gone: its end of our standard input then closes, so a crashed or killed test run leaves no node behind.
     */
    public static void prepareNode() {
        org.slf4j.LoggerFactory.getILoggerFactory();
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent: we only wait for the end
                }
            } catch (IOException e) {
                // closed
            }
            Runtime.getRuntime().halt(3);
        }, "exit-with-parent");
        watch.setDaemon(true);
        watch.start();
    }

    /**
     * Called last in a node's {@code main}: tells the launcher (which waits for the line {@code READY <address>}) that
     * this node is Up, then blocks until its ActorSystem terminates.
     */
    public static void serve(ActorSystem<?> system) throws Exception {
        while (!awaitUp(system, Duration.ofMinutes(1))) {
            // the launcher gives up first (awaitReady)
        }
        System.out.println("READY " + Cluster.get(system).selfMember().address());
        System.out.flush();
        system.getWhenTerminated().toCompletableFuture().get();
    }

    /** Waits until {@code system}'s member is Up; answers false if it is not within {@code within}. */
    public static boolean awaitUp(ActorSystem<?> system, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (Cluster.get(system).selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Starts test node {@code label} on {@code port}; {@code jvmOptions} go before the class path. A test node lives
     * for seconds, so it compiles with C1 only ({@code -XX:TieredStopAtLevel=1}): on two cores the C2 compiler's
     * threads cost the other nodes and the test more CPU than the faster code gives back (FlowsFailoverTest and
     * OutageTest together: 132 s of CPU and 79 s with C2, 94 s and 66 s without).
     */
    public static NodeProcess start(String label, Class<?> main, int port, String jdbcUrl, List<Integer> seedPorts,
                                    Path logDir, List<String> jvmOptions) {
        List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));
        options.addAll(jvmOptions);
        return start(label, main, port, jdbcUrl, seedPorts, logDir, "cluster-node-logback.xml", options);
    }

    /**
     * Starts node {@code label}: {@code main} with the arguments {@code <port> <jdbc url> <seed port>...}, logging
     * through the Logback configuration {@code logback} (a class path resource, whose {@code ${node.log}} is the
     * node's log file in {@code logDir}); {@code jvmOptions} go before the class path.
     */
    public static NodeProcess start(String label, Class<?> main, int port, String jdbcUrl, List<Integer> seedPorts,
                                    Path logDir, String logback, List<String> jvmOptions) {
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(label + ".log");
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED",
                    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dsun.misc.unsafe.memory.access=allow",
                    "-XX:+UseSerialGC", "-Xms128m", "-Xmx768m", "-Xss512k",
                    "-Dnode.log=" + log.toAbsolutePath(),
                    "-Dlogback.configurationFile=" + logbackConfig(logDir, logback)));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(),
                    Integer.toString(port), jdbcUrl));
            seedPorts.forEach(p -> command.add(Integer.toString(p)));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new NodeProcess(label, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node " + label, e);
        }
    }

    /** The nodes' Logback configuration, copied out of the class path (it may sit in a jar) into the log folder. */
    private static String logbackConfig(Path logDir, String resource) throws IOException {
        Path config = logDir.resolve(resource);
        try (var in = NodeProcess.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            Files.copy(in, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return config.toAbsolutePath().toString();
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    address = line.substring("READY ".length());
                    ready.countDown();
                } else if (line.startsWith("METRICS ")) {
                    metrics = line.substring("METRICS ".length());
                } else if (line.startsWith("DASHBOARD ")) {
                    dashboard = line.substring("DASHBOARD ".length());
                } else if (!line.startsWith("WARNING: ")) { // JDK 25's sun.misc.Unsafe notices
                    System.out.println("[" + label + "] " + line);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** Waits until the node is Up in its cluster. @throws AssertionError if it is not within {@code within} */
    public NodeProcess awaitReady(Duration within) throws InterruptedException {
        if (!ready.await(within.toMillis(), TimeUnit.MILLISECONDS) || address == null) {
            throw new AssertionError(label + " was not Up within " + within + (process.isAlive() ? ""
                    : " (it exited with " + process.exitValue() + ")") + "; its log: " + log);
        }
        return this;
    }

    public String label() {
        return label;
    }

    /** The node's cluster address, once ready. */
    public String address() {
        return address;
    }

    /** The node's Prometheus scrape address, if it printed one ({@code METRICS <url>}). */
    public java.util.Optional<String> metrics() {
        return java.util.Optional.ofNullable(metrics);
    }

    /** The node's dashboard address, if it printed one ({@code DASHBOARD <url>}). */
    public java.util.Optional<String> dashboard() {
        return java.util.Optional.ofNullable(dashboard);
    }

    /** Kills the node as {@code kill -9} does (no leave, no hand-over), and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** Asks the node to stop as a deployment does: SIGTERM, on which Pekko's coordinated shutdown leaves the cluster. */
    public void terminate() {
        process.destroy();
    }

    /** Waits until the node is gone; kills it if that takes more than {@code within}. */
    public void awaitExit(Duration within) {
        try {
            process.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** The node's process id. */
    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The ERROR lines of the node's log so far. */
    public List<String> errors() {
        return lines("ERROR");
    }

    /** The lines of the node's log so far at {@code level} (ERROR, WARN, ...). */
    public List<String> lines(String level) {
        try {
            return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains(" " + level + " "))
                    .toList() : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path log() {
        return log;
    }

    /** A free port on the loopback interface. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
