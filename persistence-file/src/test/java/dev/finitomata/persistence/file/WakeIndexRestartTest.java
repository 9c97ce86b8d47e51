package dev.finitomata.persistence.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.ApplicationFsm;
import dev.finitomata.Finitomata;
import dev.finitomata.StartResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local wake index across a restart (issue 26, point 3), at a size that makes it snapshot (10,000 changes): 10,200
 * applications each schedule their own {@code expire}, all due at one moment after the restart; 200 of them are
 * approved first (the delay cancelled, so forgotten). A new ActorSystem on the same directory, with no {@code start},
 * brings back and expires the other 10,000, each once, and not the approved ones.
 */
class WakeIndexRestartTest {

    private static final int COUNT = 10_200;
    private static final int APPROVED = 200;

    @TempDir
    Path dir;

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Every 51st: 200 of 10,200. */
    private static boolean approved(String name) {
        return Integer.parseInt(name.substring(1)) % (COUNT / APPROVED) == 0;
    }

    @Test
    void theIndexBringsBackEveryFsmWithAPendingDelayAfterARestartAndNoOther() throws Exception {
        long due = System.currentTimeMillis() + 20_000; // the setup takes about 4 s here: room for a slow machine
        ActorTestKit first = ActorTestKit.create("before", FileConfigs.config(dir)
                .withFallback(ConfigFactory.load()));
        try {
            Finitomata<Integer> applications = Finitomata.create(first.system(), "applications",
                    ApplicationFsm.class, ApplicationFsm::new);
            Semaphore inFlight = new Semaphore(500);
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                String name = "a" + i;
                inFlight.acquire();
                CompletableFuture<?> done = applications.start(name, 0)
                        .thenCompose(started -> applications.transitionAndWait(name, "review",
                                Duration.ofMillis(due - System.currentTimeMillis())))
                        .thenCompose(reviewed -> approved(name)
                                ? applications.transitionAndWait(name, "approve", null)
                                : CompletableFuture.completedFuture(reviewed))
                        .toCompletableFuture().whenComplete((x, e) -> inFlight.release());
                all.add(done);
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertTrue(System.currentTimeMillis() < due - 2_000, "the setup took too long for this test's clock");
        } finally {
            first.shutdownTestKit();
        }

        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            assertTrue(files.anyMatch(f -> f.toString().contains("fsm-wakes")), "the wake index was snapshotted");
        }

        ActorTestKit second = ActorTestKit.create("after", FileConfigs.config(dir)
                .withFallback(ConfigFactory.load()));
        try {
            Finitomata<Integer> applications = Finitomata.create(second.system(), "applications",
                    ApplicationFsm.class, ApplicationFsm::new);
            Map<String, AtomicInteger> rejections = new ConcurrentHashMap<>();
            applications.addListener((name, state, payload) -> {
                if (state.equals("rejected")) {
                    rejections.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                }
            });
            List<String> approved = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                String name = "a" + i;
                if (approved(name)) {
                    approved.add(name);
                }
            }
            int expected = COUNT - approved.size();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (rejections.size() < expected) { // nobody starts them
                assertTrue(System.nanoTime() < deadline, rejections.size() + " of " + expected + " expired");
                Thread.sleep(50);
            }
            assertEquals(expected, await(applications.count()));
            assertEquals(Map.of("rejected", (long) expected), await(applications.countByState()));
            for (String name : approved) {
                assertEquals(Optional.empty(), await(applications.state(name)), name + " was not in the index");
                assertEquals(StartResult.LOADED, await(applications.start(name, 0)), name);
            }
            rejections.forEach((name, times) -> assertEquals(1, times.get(), name + " expired once"));
        } finally {
            second.shutdownTestKit();
        }
    }
}
