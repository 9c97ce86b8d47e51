package dev.finitomata.persistence.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finitomata.ApplicationFsm;
import dev.finitomata.Finitomata;
import dev.finitomata.Retry;
import dev.finitomata.ShipmentFsm;
import dev.finitomata.forks.ApplicantFsm;
import dev.finitomata.forks.DocumentFsm;
import dev.finitomata.StartResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delayed event an FSM scheduled itself (issue 25, point 5) survives kill -9: a child JVM moves 10 applications
 * into review on the file journal, each scheduling its own {@code expire} 3 s later, and is killed once all are
 * acknowledged, before any is due; a new ActorSystem on the same directory starts them again ({@code LOADED}) and
 * each expires exactly once. Likewise the pending retry of a failed hard event (issue 25, point 2): after kill -9,
 * each order makes its second attempt once, and the recovery does not fire the first one again. And the forks of a
 * parent FSM (issue 25, point 3): after kill -9, each applicant started again starts its documents again (they were
 * stopped by the kill), and collects each of the three once. And without any {@code start} (issue 26, point 3): the
 * wake index brings back each FSM whose delay falls due after the restart, and it fires once.
 *
 * <p>After the restart, a {@code start} may find an FSM with a pending delay already running again (the wake index
 * brought it back when its delay drew near): it answers {@code LOADED} or {@code ALREADY_STARTED}.
 */
class OwnDelayCrashTest {

    private static final int COUNT = 10;

    @TempDir
    Path dir;

    /** Runs {@code writer} until it acknowledged {@link #COUNT} names, then kills it (-9); answers the names. */
    private Set<String> ackedThenKilled(Class<?> writer, String... args) throws Exception {
        Process child = CrashTest.child(writer, args);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        // a child that hangs is killed after a minute: its output ends, and the assertion below says what it did
        CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS).execute(child::destroyForcibly);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            while (acked.size() < COUNT) {
                String line = in.readLine();
                if (line == null) {
                    break;
                }
                if (line.startsWith("ack ")) {
                    acked.add(line.substring(4));
                }
            }
            assertEquals(COUNT, acked.size(), "the child acknowledged only " + acked);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        return acked;
    }

    /** How often each application was heard entering 'rejected', from now on. */
    private static Map<String, AtomicInteger> rejections(Finitomata<Integer> applications) {
        Map<String, AtomicInteger> rejections = new ConcurrentHashMap<>();
        applications.addListener((name, state, payload) -> {
            if (state.equals("rejected")) {
                rejections.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            }
        });
        return rejections;
    }

    /** Waits up to 20 s until {@link #COUNT} applications were heard. */
    private static void awaitCount(Map<String, AtomicInteger> heard, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (heard.size() < COUNT) {
            assertTrue(System.nanoTime() < deadline, what + ": " + heard.keySet());
            Thread.sleep(20);
        }
    }

    /** {@code name} is rejected, has no delay left, and was heard expiring once. */
    private static void assertExpiredOnce(Finitomata<Integer> applications, String name,
                                          Map<String, AtomicInteger> rejections) throws Exception {
        assertEquals("rejected", applications.state(name).toCompletableFuture().get(10, TimeUnit.SECONDS)
                .orElseThrow().current(), name);
        assertTrue(applications.details(name).toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow()
                .delays().isEmpty(), name + " has no delay left");
        assertEquals(1, rejections.get(name).get(), name + " expired once");
    }

    private static void loadedOrRunning(StartResult result, String name) {
        assertTrue(result == StartResult.LOADED || result == StartResult.ALREADY_STARTED, name + ": " + result);
    }

    @Test
    void aDelayDueAfterKillDashNineFiresWithoutAnyStartAndOnce() throws Exception {
        Set<String> acked = ackedThenKilled(OwnDelayWriter.class, dir.toString(), Integer.toString(COUNT), "3000");
        long killed = System.currentTimeMillis();
        ActorTestKit kit = ActorTestKit.create("after-kill",
                FileConfigs.config(dir).withFallback(com.typesafe.config.ConfigFactory.load()));
        try {
            Finitomata<Integer> applications = Finitomata.create(kit.system(), "applications", ApplicationFsm.class,
                    ApplicationFsm::new);
            Map<String, AtomicInteger> rejections = rejections(applications);
            awaitCount(rejections, "expired without a start"); // nobody calls them
            assertTrue(System.currentTimeMillis() - killed < 10_000, "they were due about 3 s after the kill");
            for (String name : acked) {
                assertEquals(StartResult.ALREADY_STARTED, applications.start(name, 0).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS), name + " runs again by itself");
                assertExpiredOnce(applications, name, rejections);
            }
            assertEquals(COUNT, applications.count().toCompletableFuture().get(10, TimeUnit.SECONDS));
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void anOwnDelayedEventSurvivesKillDashNineAndFiresOnce() throws Exception {
        Set<String> acked = ackedThenKilled(OwnDelayWriter.class, dir.toString(), Integer.toString(COUNT), "3000");
        ActorTestKit kit = ActorTestKit.create("after-kill",
                FileConfigs.config(dir).withFallback(com.typesafe.config.ConfigFactory.load()));
        try {
            Finitomata<Integer> applications = Finitomata.create(kit.system(), "applications", ApplicationFsm.class,
                    ApplicationFsm::new);
            Map<String, AtomicInteger> rejections = rejections(applications);
            for (String name : acked) {
                loadedOrRunning(applications.start(name, 0).toCompletableFuture().get(30, TimeUnit.SECONDS), name);
            }
            awaitCount(rejections, "expired after the restart");
            for (String name : acked) {
                assertExpiredOnce(applications, name, rejections);
            }
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void aPendingRetryOfAHardEventSurvivesKillDashNineAndRunsOnce() throws Exception {
        Set<String> acked = ackedThenKilled(RetryWriter.class, dir.toString(), Integer.toString(COUNT));
        ActorTestKit kit = ActorTestKit.create("after-kill",
                FileConfigs.config(dir).withFallback(com.typesafe.config.ConfigFactory.load()));
        try {
            Finitomata<Integer> orders = Finitomata.create(kit.system(), "shipments", ShipmentFsm.class,
                    ShipmentFsm::new);
            for (String name : acked) {
                loadedOrRunning(orders.start(name, 0).toCompletableFuture().get(30, TimeUnit.SECONDS), name);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (String name : acked) {
                while (!orders.state(name).toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow().current()
                        .equals("shipped")) {
                    assertTrue(System.nanoTime() < deadline, name + " was not shipped after the restart");
                    Thread.sleep(20);
                }
                List<Retry.Attempt> attempts = ShipmentFsm.attempts(name);
                assertEquals(1, attempts.size(), name + ": one attempt in this JVM, " + attempts);
                assertEquals(2, attempts.get(0).number(), name + ": the second, as journaled");
                assertTrue(attempts.get(0).lastFailure().contains("the carrier is down"), attempts.toString());
                List<String> moves = orders.history(name).toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
                        .map(e -> e.from() + ">" + e.event() + ">" + e.to()).toList();
                assertEquals(List.of("paid>__retry__>paid", "paid>ship!>shipped"), moves.subList(2, moves.size()),
                        name + ": " + moves);
            }
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void aParentsForksSurviveKillDashNineAndEachChildsEndIsTakenOnce() throws Exception {
        Set<String> acked = ackedThenKilled(ForkWriter.class, dir.toString(), Integer.toString(COUNT));
        ActorTestKit kit = ActorTestKit.create("after-kill", FileConfigs.config(dir)
                .withFallback(com.typesafe.config.ConfigFactory.parseString("finitomata.fork-check-interval = 100ms"))
                .withFallback(com.typesafe.config.ConfigFactory.load()));
        try {
            Finitomata<String> documents = Finitomata.create(kit.system(), "documents", DocumentFsm.class,
                    DocumentFsm::new);
            Finitomata<ApplicantFsm.Docs> applicants = Finitomata.create(kit.system(), "applicants",
                    ApplicantFsm.class, ApplicantFsm::new);
            for (String name : acked) {
                assertEquals(StartResult.LOADED, applicants.start(name, new ApplicantFsm.Docs(List.of()))
                        .toCompletableFuture().get(30, TimeUnit.SECONDS), name);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (String name : acked) {
                for (String kind : ApplicantFsm.KINDS) {
                    String doc = name + "-" + kind;
                    // the parent starts its document again: it was not running after the kill
                    while (documents.state(doc).toCompletableFuture().get(10, TimeUnit.SECONDS).isEmpty()) {
                        assertTrue(System.nanoTime() < deadline, doc + " was not started again by its parent");
                        Thread.sleep(20);
                    }
                    documents.transitionAndWait(doc, "receive", null).toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
            }
            for (String name : acked) {
                while (!applicants.state(name).toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow()
                        .current().equals("complete")) {
                    assertTrue(System.nanoTime() < deadline, name + " did not complete after the restart");
                    Thread.sleep(20);
                }
                long done = applicants.history(name).toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
                        .filter(e -> e.event().equals("document_done")).count();
                assertEquals(3, done, name + ": each document once");
            }
        } finally {
            kit.shutdownTestKit();
        }
    }
}
