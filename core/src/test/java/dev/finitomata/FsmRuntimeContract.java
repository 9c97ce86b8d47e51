package dev.finitomata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The runtime's behaviour, independent of the journal: subclass it with a configuration choosing the journal and
 * snapshot store (core runs it on Pekko's inmem journal, persistence-ets and persistence-file on theirs).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FsmRuntimeContract {

    protected static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final AtomicInteger IDS = new AtomicInteger();

    protected ActorTestKit testKit;
    protected Finitomata<Counter> fsms;
    private String prefix;

    /** The journal and snapshot store under test, as Pekko configuration. */
    protected abstract Config persistenceConfig();

    @BeforeAll
    void startSystem() {
        Config config = persistenceConfig()
                .withFallback(ConfigFactory.parseString("""
                        pekko.loglevel = WARNING
                        pekko.stdout-loglevel = WARNING
                        pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                        pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                        finitomata.history-size = 3
                        finitomata.snapshot-every = 4
                        finitomata.ask-timeout = 15s
                        """))
                .withFallback(ConfigFactory.load());
        testKit = ActorTestKit.create(getClass().getSimpleName(), config);
    }

    @AfterAll
    void stopSystem() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void newSupervisor() {
        int n = IDS.incrementAndGet();
        prefix = getClass().getSimpleName() + "-" + n + "-";
        fsms = Finitomata.create(testKit.system(), "t" + n + "-" + System.nanoTime(), RecordingFsm.class,
                RecordingFsm::new);
    }

    protected String name(String suffix) {
        return prefix + suffix;
    }

    protected static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected static <T extends Throwable> T failsWith(Class<T> type, CompletionStage<?> stage) {
        return assertThrows(type, () -> await(stage));
    }

    /** Polls {@code check} until it holds or the deadline passes. */
    protected static void eventually(Supplier<Boolean> check, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!check.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + TIMEOUT + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private FsmState<Counter> state(String name) {
        return await(fsms.state(name)).orElseThrow(() -> new AssertionError(name + " is not running"));
    }

    private String started(String suffix) {
        String name = name(suffix);
        assertEquals(StartResult.STARTED, await(fsms.start(name, new Counter(0))));
        return name;
    }

    @Test
    void startFiresTheEntryEventAndAnswersAlreadyStarted() {
        String name = started("start");
        FsmState<Counter> state = state(name);
        assertEquals("idle", state.current());
        assertEquals(new Counter(0), state.payload());
        assertEquals(Lifecycle.CREATED, state.lifecycle());
        assertEquals(List.of(), state.history());
        assertEquals(List.of("onStart", "onTransition:*:__start__", "onEnter:idle"), RecordingFsm.log(name));
        assertEquals(StartResult.ALREADY_STARTED, await(fsms.start(name, new Counter(5))));
        assertEquals(new Counter(0), state(name).payload());
    }

    @Test
    void eventsSentRightAfterStartWaitForTheStart() {
        String name = name("eager");
        fsms.start(name, new Counter(0));
        fsms.transition(name, "start", null);
        assertEquals(new Counter(1), await(fsms.transitionAndWait(name, "work", null)).payload());
        assertEquals("working", state(name).current());
    }

    @Test
    void pipelineRunsInOrder() {
        String name = started("order");
        List<String> calls = new ArrayList<>();
        fsms.addListener((n, s, p) -> {
            if (n.equals(name)) {
                calls.add("listener:" + s);
                RecordingFsm.log(name).add("listener:" + s);
            }
        });
        FsmState<Counter> after = await(fsms.transitionAndWait(name, "start", null));
        assertEquals("working", after.current());
        assertEquals(List.of("idle"), after.history());
        assertEquals(List.of("onStart", "onTransition:*:__start__", "onEnter:idle",
                "onExit:idle", "onTransition:idle:start", "listener:working", "onEnter:working"),
                RecordingFsm.log(name));
        assertEquals(List.of("listener:working"), calls);
    }

    @Test
    void refusedEventFailsAndLeavesTheStateAlone() {
        String name = started("refused");
        FsmTransitionException e = failsWith(FsmTransitionException.class,
                fsms.transitionAndWait(name, "resume", null));
        assertEquals(FsmError.Stage.ACCEPT, e.error().stage());
        assertEquals("idle", e.error().state());
        assertTrue(e.getMessage().contains("does not respond to event 'resume'"), e.getMessage());
        FsmState<Counter> state = state(name);
        assertEquals("idle", state.current());
        assertEquals(Optional.of(e.error()), state.lastError());
        assertTrue(RecordingFsm.log(name).contains("onFailure:resume"));
        await(fsms.transitionAndWait(name, "start", null));
        assertEquals(Optional.empty(), state(name).lastError(), "a success clears lastError");
    }

    @Test
    void failuresOfCallbacksNeverKillTheFsm() {
        String name = started("failures");
        await(fsms.transitionAndWait(name, "start", null));
        FsmTransitionException failed = failsWith(FsmTransitionException.class,
                fsms.transitionAndWait(name, "work", "fail"));
        assertEquals(FsmError.Stage.TRANSITION, failed.error().stage());
        assertEquals("asked to fail", failed.error().reason());
        assertEquals("fail", failed.error().eventPayload());
        FsmTransitionException thrown = failsWith(FsmTransitionException.class,
                fsms.transitionAndWait(name, "work", "throw"));
        assertEquals(FsmError.Stage.TRANSITION, thrown.error().stage());
        assertTrue(thrown.error().reason().contains("IllegalStateException: boom"), thrown.error().reason());
        FsmTransitionException disallowed = failsWith(FsmTransitionException.class,
                fsms.transitionAndWait(name, "work", "nowhere"));
        assertEquals(FsmError.Stage.ALLOWED, disallowed.error().stage());
        assertTrue(RecordingFsm.log(name).contains("onRollback:paused"));
        FsmState<Counter> state = state(name);
        assertEquals("working", state.current());
        assertEquals(new Counter(0), state.payload());
        assertEquals(3, RecordingFsm.log(name).stream().filter(s -> s.equals("onFailure:work")).count());
        assertEquals(new Counter(1), await(fsms.transitionAndWait(name, "work", null)).payload());
    }

    @Test
    void softEventFailureSkipsOnFailure() {
        String name = started("soft");
        await(fsms.transitionAndWait(name, "start", null));
        FsmTransitionException e = failsWith(FsmTransitionException.class,
                fsms.transitionAndWait(name, "pause?", "no"));
        assertEquals("pause?", e.error().event());
        assertEquals(Optional.of(e.error()), state(name).lastError());
        assertFalse(RecordingFsm.log(name).contains("onFailure:pause?"));
        assertEquals("paused", await(fsms.transitionAndWait(name, "pause?", null)).current());
    }

    @Test
    void hardEventsFireByThemselves() {
        String name = started("hard");
        await(fsms.transitionAndWait(name, "start", null));
        FsmState<Counter> checking = await(fsms.transitionAndWait(name, "check", null));
        assertEquals("checking", checking.current());
        eventually(() -> state(name).current().equals("done"), "hard events checking -> finishing -> done");
        assertEquals(List.of("finishing", "checking", "working"), state(name).history());
        List<String> log = RecordingFsm.log(name);
        assertTrue(log.indexOf("onEnter:checking") < log.indexOf("onTransition:checking:done!"));
        assertTrue(log.indexOf("onEnter:finishing") < log.indexOf("onTransition:finishing:finish!"));
    }

    @Test
    void eventsSentDuringAHardChainWaitForIt() {
        String name = started("hard-order");
        await(fsms.transitionAndWait(name, "start", null));
        fsms.transition(name, "check", null);
        // 'stop' is not accepted until the chain has reached 'done', where 'stop' is refused: it must fail there
        FsmTransitionException e = failsWith(FsmTransitionException.class,
                fsms.transitionAndWait(name, "stop", null));
        assertEquals("done", e.error().state());
    }

    @Test
    void finishingStopsTheFsmAfterOnTerminate() {
        String name = started("finish");
        await(fsms.transitionAndWait(name, "start", null));
        await(fsms.transitionAndWait(name, "stop", null));
        FsmState<Counter> last = await(fsms.transitionAndWait(name, "__end__", null));
        assertEquals("*", last.current());
        eventually(() -> !await(fsms.alive(name)), "the FSM stops");
        assertTrue(RecordingFsm.log(name).contains("onTerminate"));
        assertEquals(Optional.empty(), await(fsms.state(name)));
        assertEquals(StartResult.STARTED, await(fsms.start(name, new Counter(9))), "a finished FSM starts anew");
    }

    @Test
    void reloadsAfterStop() {
        String name = started("reload");
        await(fsms.transitionAndWait(name, "start", null));
        for (int i = 0; i < 6; i++) {
            await(fsms.transitionAndWait(name, "work", null));
        }
        await(fsms.stop(name));
        assertFalse(await(fsms.alive(name)));
        int before = RecordingFsm.log(name).size();
        assertEquals(StartResult.LOADED, await(fsms.start(name, new Counter(100))));
        FsmState<Counter> state = state(name);
        assertEquals("working", state.current());
        assertEquals(new Counter(6), state.payload());
        assertEquals(Lifecycle.LOADED, state.lifecycle());
        assertEquals(List.of("working", "working", "working"), state.history(), "bounded by history-size 3");
        assertFalse(RecordingFsm.log(name).subList(before, RecordingFsm.log(name).size()).contains("onStart"));
    }

    @Test
    void reloadsAfterACrash() {
        String name = started("crash");
        await(fsms.transitionAndWait(name, "start", null));
        await(fsms.transitionAndWait(name, "work", null));
        fsms.transition(name, "crash", null);
        eventually(() -> !await(fsms.alive(name)), "the crashed FSM is gone");
        assertEquals(StartResult.LOADED, await(fsms.start(name, new Counter(0))));
        assertEquals(new Counter(1), state(name).payload());
        assertEquals("working", state(name).current());
    }

    @Test
    void delayedTransitionsSurviveStopAndStart() {
        String name = started("delayed");
        await(fsms.transitionAndWait(name, "start", null));
        fsms.transition(name, "work", null, Duration.ofMillis(700));
        fsms.transition(name, "work", null, Duration.ofMillis(50));
        eventually(() -> state(name).payload().value() == 1, "the short delay fires");
        await(fsms.stop(name));
        assertEquals(StartResult.LOADED, await(fsms.start(name, new Counter(0))));
        eventually(() -> state(name).payload().value() == 2, "the long delay fires after the restart");
        // fired once: give a would-be duplicate time to show up, then check again
        await(fsms.transitionAndWait(name, "work", null));
        assertEquals(3, state(name).payload().value());
    }

    @Test
    void timerTicksUpdatesAndTransitions() {
        String name = name("timer");
        RecordingFsm.TIMERS.put(name, Duration.ofMillis(100));
        await(fsms.start(name, new Counter(0)));
        await(fsms.transitionAndWait(name, "start", null));
        eventually(() -> state(name).current().equals("done"), "timer updates to 200, then fires 'stop' at 300");
        assertEquals(new Counter(300), state(name).payload());
        assertTrue(RecordingFsm.log(name).contains("onTimer:working"));
    }

    @Test
    void transitionsArePublishedOnTheEventStream() {
        TestProbe<FsmTransitioned> probe = testKit.createTestProbe();
        testKit.system().eventStream().tell(new EventStream.Subscribe<>(FsmTransitioned.class, probe.getRef()));
        String name = started("events");
        await(fsms.transitionAndWait(name, "start", null));
        List<FsmTransitioned> seen = new ArrayList<>();
        eventually(() -> {
            probe.receiveSeveralMessages(1, TIMEOUT).forEach(seen::add);
            return seen.stream().anyMatch(t -> t.name().equals(name) && t.to().equals("working"));
        }, "published");
        FsmTransitioned t = seen.stream().filter(x -> x.name().equals(name) && x.to().equals("working"))
                .findFirst().orElseThrow();
        assertEquals(new FsmTransitioned(fsms.id(), name, "idle", "start", "working", new Counter(0)), t);
    }

    @Test
    void unknownNames() {
        String name = name("nobody");
        failsWith(FsmNotFoundException.class, fsms.transitionAndWait(name, "start", null));
        failsWith(FsmNotFoundException.class, fsms.stop(name));
        assertEquals(Optional.empty(), await(fsms.state(name)));
        assertFalse(await(fsms.alive(name)));
        long dropped = fsms.droppedEvents();
        fsms.transition(name, "start", null);
        assertEquals(dropped + 1, fsms.droppedEvents());
        assertFalse(await(fsms.alive(name)), "no zombie FSM");
    }

    @Test
    void badInputIsRefusedClearly() {
        String name = started("bad");
        assertThrows(NullPointerException.class, () -> fsms.start(null, new Counter(0)));
        assertThrows(IllegalArgumentException.class, () -> fsms.start(" ", new Counter(0)));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> fsms.transition(name, "fly", null));
        assertTrue(unknown.getMessage().contains("event 'fly' is not in the definition of RecordingFsm"));
        assertThrows(IllegalArgumentException.class, () -> fsms.transition(name, "work", null, Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> fsms.start(name("null-payload"), null));
        assertThrows(IllegalArgumentException.class, () -> Finitomata.create(testKit.system(), "a|b",
                RecordingFsm.class, RecordingFsm::new));
        assertThrows(IllegalStateException.class, () -> Finitomata.create(testKit.system(), fsms.id(),
                RecordingFsm.class, RecordingFsm::new));
        FsmTransitionException start = failsWith(FsmTransitionException.class,
                fsms.start(name("negative"), new Counter(-1)));
        assertEquals(FsmError.Stage.START, start.error().stage());
        eventually(() -> !await(fsms.alive(name("negative"))), "a failed start leaves nothing running");
    }

    /** Jackson cannot read it back: it has no way to build the {@code Runnable}. */
    record Opaque(Runnable task) {
    }

    @Test
    void aPayloadJacksonCannotRoundTripIsRefusedAtStart() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Finitomata<Object> raw = (Finitomata) fsms;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> raw.start(name("opaque"), new Opaque(() -> { })));
        assertTrue(e.getMessage().contains("payload of type dev.finitomata.FsmRuntimeContract$Opaque cannot be "
                + "serialised with Jackson"), e.getMessage());
        assertFalse(await(fsms.alive(name("opaque"))), "nothing was started");
    }

    @Test
    void nonDeterministicTargetsAreChosenByOnTransition() {
        String name = started("split");
        await(fsms.transitionAndWait(name, "start", null));
        assertEquals("right", await(fsms.transitionAndWait(name, "split", "right")).current());
        assertEquals("working", await(fsms.transitionAndWait(name, "join", null)).current());
        assertEquals("left", await(fsms.transitionAndWait(name, "split", null)).current());
    }

    @Test
    void deleteErasesThePersistedState() {
        String name = started("delete");
        await(fsms.transitionAndWait(name, "start", null));
        await(fsms.delete(name));
        assertFalse(await(fsms.alive(name)));
        assertEquals(StartResult.STARTED, await(fsms.start(name, new Counter(42))));
        assertEquals("idle", state(name).current());
        assertEquals(new Counter(42), state(name).payload());
    }

    @Test
    void allCountAndRandom() {
        List<String> names = List.of(started("a"), started("b"), started("c"));
        Map<String, FsmLocation> all = await(fsms.all());
        assertEquals(Set(names), all.keySet());
        assertEquals(testKit.system().address().toString(), all.get(names.get(0)).node());
        assertEquals(3, await(fsms.count()));
        assertTrue(names.contains(await(fsms.random()).orElseThrow()));
    }

    private static java.util.Set<String> Set(List<String> names) {
        return java.util.Set.copyOf(names);
    }

    @Test
    void blockingCallbacksBlockOnlyTheirOwnFsm() {
        int n = 200;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(started("sleepy-" + i));
        }
        names.forEach(name -> await(fsms.transitionAndWait(name, "start", null)));
        long start = System.nanoTime();
        List<CompletableFuture<FsmState<Counter>>> all = names.stream()
                .map(name -> fsms.transitionAndWait(name, "work", 200).toCompletableFuture()).toList();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        long millis = (System.nanoTime() - start) / 1_000_000;
        // run one after another they would take 200 x 200 ms = 40 s; on virtual threads they overlap
        assertTrue(millis < 5_000, "200 FSMs sleeping 200 ms each took " + millis + " ms");
        System.out.println("blocking callbacks: 200 FSMs x 200 ms sleep completed in " + millis + " ms");
    }
}
