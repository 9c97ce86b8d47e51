package dev.finitomata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.finitomata.FsmRuntimeContract.eventually;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.internal.local.LocalFsms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Passivation on the local facade (issue 26, point 2): an idle FSM's actor stops, the FSM still runs as far as every
 * call can tell, and the next call brings it back; one whose only pending work is a delayed transition or its
 * timer's next tick passivates too and is woken by the supervisor's wake schedule before it is due. Here FSMs passivate after 200 ms without a call
 * and are woken 500 ms ahead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalPassivationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final AtomicInteger IDS = new AtomicInteger();

    private ActorTestKit testKit;
    private FsmSupervisor<Counter> fsms;
    private LocalFsms<Counter> engine;
    /** When each FSM was heard entering each state, by name and state. */
    private final Map<String, List<Long>> heardWorking = new ConcurrentHashMap<>();

    @BeforeAll
    void start() {
        testKit = ActorTestKit.create("LocalPassivationTest", ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                pekko.persistence.journal.inmem.test-serialization = on
                pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
                pekko.persistence.snapshot-store.local.dir = "target/snapshots-passivation-%d"
                finitomata.passivate-idle-after = 200ms
                finitomata.wake-ahead = 500ms
                """.formatted(System.nanoTime())).withFallback(ConfigFactory.load()));
    }

    @AfterAll
    void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void newSupervisor() {
        fsms = Finitomata.create(testKit.system(), "p" + IDS.incrementAndGet(), RecordingFsm.class,
                RecordingFsm::new);
        engine = LocalFsms.of(fsms);
        fsms.addListener((name, state, payload) -> {
            if (state.equals("working")) {
                heardWorking.computeIfAbsent(name, n -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(System.currentTimeMillis());
            }
        });
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String working(String name) {
        String unique = name + "-" + System.nanoTime();
        assertEquals(StartResult.STARTED, await(fsms.start(unique, new Counter(0))));
        await(fsms.transitionAndWait(unique, "start", null));
        return unique;
    }

    private static int built(String name) {
        return RecordingFsm.CREATED.get(name).get();
    }

    private static long count(String name, String what) {
        return RecordingFsm.log(name).stream().filter(what::equals).count();
    }

    @Test
    void aPassivatedFsmStillRunsForEveryCallAndTheNextCallBringsItBack() {
        String name = working("idle");
        await(fsms.transitionAndWait(name, "work", null));
        eventually(() -> engine.passivated() == 1, "the idle FSM passivates");
        int builtBefore = built(name);

        // counted, listed, indexed and alive, without being woken
        assertEquals(1, await(fsms.count()));
        assertTrue(await(fsms.alive(name)));
        assertTrue(await(fsms.all()).containsKey(name));
        assertEquals(Optional.of(name), await(fsms.random()));
        assertEquals(Map.of("working", 1L), await(fsms.countByState()));
        assertEquals(List.of(name), await(fsms.find(FsmQuery.inState("working"))).stream()
                .map(FsmSummary::name).toList());
        assertEquals(1, engine.passivated(), "none of those calls woke it");
        assertEquals(builtBefore, built(name));

        // a read wakes it, from its journal, where it was
        FsmState<Counter> state = await(fsms.state(name)).orElseThrow();
        assertEquals("working", state.current());
        assertEquals(1, state.payload().value());
        assertEquals(builtBefore + 1, built(name), "it came back as a new instance");
        assertEquals(0, engine.passivated());

        // a fire-and-forget event to a passivated FSM is not dropped
        eventually(() -> engine.passivated() == 1, "it passivates again");
        long dropped = fsms.droppedEvents();
        fsms.transition(name, "work", null);
        eventually(() -> count(name, "onTransition:working:work") == 2, "the event reached it");
        assertEquals(2, await(fsms.state(name)).orElseThrow().payload().value());
        assertEquals(dropped, fsms.droppedEvents());
        assertEquals(1, await(fsms.count()));
    }

    @Test
    void aPassivatedFsmWithADelayedTransitionIsWokenBeforeItIsDueAndFiresItOnce() {
        String name = working("delayed");
        long due = System.currentTimeMillis() + 2_000;
        fsms.transition(name, "work", null, Duration.ofMillis(2_000));
        eventually(() -> engine.passivated() == 1, "the FSM with only a delay pending passivates");
        int builtBefore = built(name);
        heardWorking.remove(name);

        // nobody calls it: the wake schedule brings it back and it fires the delay
        eventually(() -> heardWorking.containsKey(name), "the delayed event fired");
        long firedAt = heardWorking.get(name).get(0);
        assertTrue(firedAt >= due - 20, "fired " + (due - firedAt) + " ms early");
        assertTrue(firedAt <= due + 1_000, "fired " + (firedAt - due) + " ms late");
        assertEquals(builtBefore + 1, built(name), "woken by its schedule, not by a call");

        await(engine.settle(name));
        assertEquals(1, count(name, "onTransition:working:work"), "fired once");
        assertEquals(1, await(fsms.state(name)).orElseThrow().payload().value());
        assertTrue(await(fsms.details(name)).orElseThrow().delays().isEmpty());
    }

    @Test
    void aDelayDueWithinTheWakeAheadKeepsItsFsmAwake() {
        String name = working("soon");
        fsms.transition(name, "work", null, Duration.ofMillis(600)); // due within wake-ahead once idle (200 ms)
        int builtBefore = built(name);
        eventually(() -> count(name, "onTransition:working:work") == 1, "the delay fired");
        // (it may passivate once the delay has fired: nothing is scheduled then)
        assertEquals(builtBefore, built(name), "the instance that fired it is the one it had: it never slept before");
    }

    /** An FSM in state {@code working} with a timer of {@code interval}. */
    private String ticking(String name, Duration interval) {
        String unique = name + "-" + System.nanoTime();
        RecordingFsm.TIMERS.put(unique, interval);
        assertEquals(StartResult.STARTED, await(fsms.start(unique, new Counter(0))));
        await(fsms.transitionAndWait(unique, "start", null));
        return unique;
    }

    /** When {@code name}'s timer had ticked {@code nth} times (polled every 5 ms). */
    private static long ticked(String name, int nth) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (count(name, "onTimer:working") < nth) {
            assertTrue(System.nanoTime() < deadline, "tick " + nth + " did not come");
            Thread.sleep(5);
        }
        return System.currentTimeMillis();
    }

    @Test
    void anFsmWhoseTimerIsSlowPassivatesBetweenTicksAndTicksOnTime() throws InterruptedException {
        String name = ticking("timer", Duration.ofSeconds(3));
        long first = ticked(name, 1);
        long passivationsBefore = engine.passivations();
        long between = ticked(name, 2) - first;
        assertTrue(engine.passivations() > passivationsBefore, "it passivated between the ticks");
        // woken 500 ms ahead, it arms what was left of the interval, not a new one (that would be about 5.5 s)
        assertTrue(between >= 2_800 && between <= 3_700, "the second tick came " + between + " ms after the first");
        assertEquals(200, await(fsms.state(name)).orElseThrow().payload().value(), "each tick once");
    }

    @Test
    void aPassivatedFsmWokenByACallTicksOnFromWhereItsTimerWas() throws InterruptedException {
        String name = ticking("call-woken", Duration.ofSeconds(3));
        java.time.Instant due = await(fsms.details(name)).orElseThrow().timer().orElseThrow().nextTick();
        eventually(() -> engine.passivated() == 1, "the FSM with only a slow timer passivates");
        int builtBefore = built(name);

        assertEquals(0, await(fsms.state(name)).orElseThrow().payload().value()); // a call wakes it
        assertEquals(builtBefore + 1, built(name), "woken by the call");
        assertEquals(due, await(fsms.details(name)).orElseThrow().timer().orElseThrow().nextTick(),
                "the next tick is the one it had before it passivated");
        long late = ticked(name, 1) - due.toEpochMilli();
        assertTrue(late >= -20 && late <= 1_000, "ticked " + late + " ms after its tick was due");
    }

    @Test
    void stopDeleteAndStartReachAPassivatedFsm() {
        String stopped = working("stop");
        String erased = working("erase");
        eventually(() -> engine.passivated() == 2, "both passivate");

        assertEquals(StartResult.ALREADY_STARTED, await(fsms.start(stopped, new Counter(5))));
        eventually(() -> engine.passivated() == 2, "it passivates again");
        await(fsms.stop(stopped));
        assertFalse(await(fsms.alive(stopped)));
        assertEquals(StartResult.LOADED, await(fsms.start(stopped, new Counter(5))), "stopped, not erased");

        await(fsms.delete(erased));
        assertFalse(await(fsms.alive(erased)));
        assertEquals(Optional.empty(), await(fsms.state(erased)));
        assertEquals(1, await(fsms.count()));
        assertEquals(Map.of("working", 1L), await(fsms.countByState()));
    }

    /**
     * Calls race passivation: 100 FSMs, each sent fire-and-forget and awaited events at random gaps around the
     * passivation interval, so that calls reach FSMs that are about to sleep, asleep, and waking. None is lost, none
     * is applied twice, and the order of each FSM's events holds.
     */
    @Test
    void callsRacingPassivationAreNeitherLostNorDoubled() throws Exception {
        int fsmCount = 100;
        int sends = 12;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < fsmCount; i++) {
            names.add(working("race" + i));
        }
        long dropped = fsms.droppedEvents();
        List<Thread> senders = new ArrayList<>();
        for (String name : names) {
            senders.add(Thread.ofVirtual().start(() -> {
                for (int k = 0; k < sends; k++) {
                    try {
                        Thread.sleep(ThreadLocalRandom.current().nextInt(150, 260));
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (k % 2 == 0) {
                        fsms.transition(name, "work", null);
                    } else {
                        await(fsms.transitionAndWait(name, "work", null));
                    }
                }
            }));
        }
        for (Thread sender : senders) {
            sender.join();
        }
        for (String name : names) {
            assertEquals(sends, await(fsms.state(name)).orElseThrow().payload().value(), name);
        }
        assertEquals(dropped, fsms.droppedEvents());
        assertEquals(fsmCount, await(fsms.count()));
        assertTrue(engine.passivations() > 0, "FSMs passivated during the race: " + engine.passivations());
    }
}
