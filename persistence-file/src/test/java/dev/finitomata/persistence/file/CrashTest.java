package dev.finitomata.persistence.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.persistence.tck.ListBehavior;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durability across a real crash and a clean restart. */
class CrashTest {

    private static final int WRITERS = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /**
     * Starts {@code main} in a JVM of its own, on this test's class path, with {@code args}; its standard output is
     * the process's input stream, its standard error is dropped.
     */
    static Process child(Class<?> main, String... args) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dsun.misc.unsafe.memory.access=allow",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void everyAcknowledgedEventSurvivesKillDashNine() throws Exception {
        Process child = child(CrashWriter.class, dir.toString(), Integer.toString(WRITERS));
        Map<Integer, Integer> acked = new ConcurrentHashMap<>();
        AtomicInteger total = new AtomicInteger();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] parts = line.split(" ");
                    if (parts.length == 3 && parts[0].equals("ack")) {
                        acked.merge(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Math::max);
                        total.incrementAndGet();
                    }
                }
            } catch (Exception ignored) {
                // the child was killed
            }
        });
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (total.get() < 2_000 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), "the writer died by itself before being killed");
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        reader.join(10_000);
        assertTrue(total.get() >= 2_000, "writer acknowledged only " + total.get() + " writes");

        ActorTestKit kit = ActorTestKit.create("after-crash",
                FileConfigs.config(dir).withFallback(com.typesafe.config.ConfigFactory.load()));
        try {
            for (int w = 0; w < WRITERS; w++) {
                int last = acked.getOrDefault(w, -1);
                ActorRef<ListBehavior.Command> list = kit.spawn(ListBehavior.create("crash-" + w, 0));
                TestProbe<List<Integer>> probe = kit.createTestProbe();
                list.tell(new ListBehavior.Get(probe.getRef()));
                List<Integer> recovered = probe.receiveMessage(TIMEOUT);
                assertTrue(recovered.size() >= last + 1, "writer " + w + " acked up to " + last + " but only "
                        + recovered.size() + " events recovered");
                assertEquals(IntStream.range(0, recovered.size()).boxed().toList(), recovered,
                        "writer " + w + ": events in order, none missing");
            }
        } finally {
            kit.shutdownTestKit();
        }
        System.out.println("kill -9 test: " + total.get() + " acknowledged writes, all recovered");
    }

    @Test
    void everythingReplaysInANewActorSystemOnTheSameDirectory() {
        ActorTestKit first = ActorTestKit.create("first",
                FileConfigs.config(dir).withFallback(com.typesafe.config.ConfigFactory.load()));
        ActorRef<ListBehavior.Command> list = first.spawn(ListBehavior.create("restart", 3));
        TestProbe<Done> done = first.createTestProbe();
        for (int i = 0; i < 10; i++) {
            list.tell(new ListBehavior.Append(i, done.getRef()));
        }
        done.receiveSeveralMessages(10, TIMEOUT);
        first.shutdownTestKit();

        ActorTestKit second = ActorTestKit.create("second",
                FileConfigs.config(dir).withFallback(com.typesafe.config.ConfigFactory.load()));
        try {
            TestProbe<List<Integer>> probe = second.createTestProbe();
            second.spawn(ListBehavior.create("restart", 3)).tell(new ListBehavior.Get(probe.getRef()));
            assertEquals(IntStream.range(0, 10).boxed().toList(), probe.receiveMessage(TIMEOUT));
        } finally {
            second.shutdownTestKit();
        }
    }
}
