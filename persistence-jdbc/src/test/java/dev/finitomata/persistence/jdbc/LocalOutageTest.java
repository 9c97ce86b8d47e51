package dev.finitomata.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmError;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.RecordingFsm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A database outage on one node ({@code Finitomata}), with a real PostgreSQL that crashes
 * ({@code pg_ctl stop -m immediate}) and comes back: calls that must write or recover fail at once with stage
 * {@code PERSIST} or {@code START} and say the journal is unavailable, reads from memory keep answering, and after
 * the return every FSM writes again, the delay that fell due fires once, and nothing acknowledged is lost. The
 * cluster twin, with three node JVMs under load, is {@code OutageTest} in the sharding module.
 */
class LocalOutageTest {

    private static final Duration CALL = Duration.ofSeconds(1);

    private CrashablePg pg;
    private ActorTestKit kit;

    @AfterEach
    void stop() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void callsFailFastWhileTheDatabaseIsDownAndEverythingResumesWhenItIsBack() throws Exception {
        pg = CrashablePg.start(Path.of("target", "local-outage", "pg"));
        kit = ActorTestKit.create("local-outage", ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                finitomata.ask-timeout = 10s
                """).withFallback(JdbcPersistence.config(pg.url(), EmbeddedPg.USER, EmbeddedPg.PASSWORD))
                .withFallback(ConfigFactory.load()));
        Finitomata<Counter> fsms = Finitomata.create(kit.system(), "outage", RecordingFsm.class, RecordingFsm::new);
        List<String> names = new ArrayList<>();
        Map<String, Integer> acknowledged = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String name = "fsm-" + i;
            names.add(name);
            await(fsms.start(name, new Counter(0)));
            await(fsms.transitionAndWait(name, "start", null));
            acknowledged.put(name, await(fsms.transitionAndWait(name, "work", null)).payload().value());
        }
        fsms.transition("fsm-19", "work", null, Duration.ofSeconds(2)); // due during the outage
        acknowledged.put("fsm-19", await(fsms.transitionAndWait("fsm-19", "work", null)).payload().value());

        int delayedBefore = acknowledged.get("fsm-19");
        pg.crash();
        long crashed = System.nanoTime();
        // the first write finds the outage: the journal fails it once the pool gave up on a connection
        // (connectionTimeout, 1 s), and its FSM restarts
        long firstSent = System.nanoTime();
        FsmTransitionException first = failure(() -> fsms.transitionAndWait("fsm-0", "work", null),
                Duration.ofSeconds(3));
        double firstTook = (System.nanoTime() - firstSent) / 1e9;
        System.out.printf("the first call after the crash failed after %.2f s: %s%n", firstTook, first.getMessage());
        assertEquals(FsmError.Stage.PERSIST, first.error().stage(), first.getMessage());
        // connectionTimeout (1 s) and a little: measured 1.03 s; the bound guards, it does not time
        assertTrue(firstTook < 2, "the first call after the crash took " + firstTook + " s to fail");
        // once the node's probe confirmed it, every call that must write fails at once, saying why
        FsmTransitionException known = eventuallyFails(() -> fsms.transitionAndWait("fsm-1", "work", null),
                e -> e.getMessage().contains("is unavailable"));
        System.out.printf("outage known %.2f s after the crash%n", (System.nanoTime() - crashed) / 1e9);
        assertEquals(FsmError.Stage.PERSIST, known.error().stage());
        assertTrue(known.getMessage().contains("'jdbc-journal'") && known.getMessage().contains("nothing was written"),
                known.getMessage());
        for (String name : names.subList(1, 10)) {
            long sent = System.nanoTime();
            FsmTransitionException refused = failure(() -> fsms.transitionAndWait(name, "work", null));
            double took = (System.nanoTime() - sent) / 1e9;
            assertEquals(FsmError.Stage.PERSIST, refused.error().stage(), refused.getMessage());
            assertTrue(took < 0.5, name + "'s call took " + took + " s to fail");
        }
        // the FSM whose write failed restarts from its journal: calls for it are answered at once (stage START)
        FsmTransitionException restarting = failure(() -> fsms.state("fsm-0"));
        assertEquals(FsmError.Stage.START, restarting.error().stage(), restarting.getMessage());
        // a start that must write or recover fails at once, with stage START
        FsmTransitionException start = failure(() -> fsms.start("fsm-new", new Counter(0)));
        assertEquals(FsmError.Stage.START, start.error().stage(), start.getMessage());
        // reads from memory keep answering
        assertEquals("working", await(fsms.state("fsm-5")).orElseThrow().current());
        assertEquals(20, await(fsms.count()));
        assertEquals(20, await(fsms.all()).size());
        // a fire-and-forget transition is dropped and counted
        long dropped = fsms.droppedEvents();
        fsms.transition("fsm-6", "work", null);
        eventually(() -> fsms.droppedEvents() == dropped + 1, "the dropped event is counted");

        Thread.sleep(Math.max(0, 5_000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashed)));
        pg.restart();
        long back = System.nanoTime();
        double last = 0;
        for (String name : names) {
            while (true) {
                try {
                    int value = await(fsms.transitionAndWait(name, "work", null)).payload().value();
                    assertTrue(value > acknowledged.get(name), name + " lost an acknowledged transition");
                    acknowledged.put(name, value);
                    break;
                } catch (CompletionException e) {
                    assertTrue((System.nanoTime() - back) / 1e9 < 10, name + " is not writable again: " + e);
                    Thread.sleep(50);
                }
            }
            last = (System.nanoTime() - back) / 1e9;
        }
        System.out.printf("every FSM writable again %.2f s after the database was back%n", last);
        assertTrue(last <= 5, "writable again within 5 s of the return, was " + last);
        // the delay that fell due during the outage fired once, besides the one work written after the return
        eventually(() -> await(fsms.state("fsm-19")).orElseThrow().payload().value() == delayedBefore + 2,
                "the delayed transition fired");
        Thread.sleep(500);
        assertEquals(delayedBefore + 2, await(fsms.state("fsm-19")).orElseThrow().payload().value(),
                "it fired once");
    }

    private static <T> T await(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The call's failure, which must come within {@link #CALL}. */
    private static FsmTransitionException failure(Supplier<CompletionStage<?>> call) {
        return failure(call, CALL);
    }

    /** The call's failure, which must come within {@code within}. */
    private static FsmTransitionException failure(Supplier<CompletionStage<?>> call, Duration within) {
        try {
            call.get().toCompletableFuture().orTimeout(within.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (CompletionException e) {
            return assertInstanceOf(FsmTransitionException.class, e.getCause(), String.valueOf(e.getCause()));
        }
        throw new AssertionError("the call succeeded while the database is down");
    }

    private static FsmTransitionException eventuallyFails(Supplier<CompletionStage<?>> call,
                                                          java.util.function.Predicate<FsmTransitionException> as) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            FsmTransitionException e = failure(call, Duration.ofSeconds(3)); // a write in flight may wait for the pool
            if (as.test(e) || System.nanoTime() > deadline) {
                return e;
            }
        }
    }

    private static void eventually(Supplier<Boolean> check, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!check.get()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s: " + what);
            Thread.sleep(20);
        }
    }
}
