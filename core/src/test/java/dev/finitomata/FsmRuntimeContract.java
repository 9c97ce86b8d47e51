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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The runtime's behaviour, the same on every host and store: subclass it with a configuration choosing the journal
 * and snapshot store, and (for a cluster) a {@link RuntimeHost}. Core runs it on Pekko's inmem journal,
 * persistence-ets and persistence-file on theirs, sharding on one- and three-node clusters. It pins the lifecycle
 * table of docs/runtime.md: every call on a name that does not run is answered at once (well within
 * {@link #AT_ONCE}, while the ask timeout is 30 s).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FsmRuntimeContract {

    protected static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** What "at once" means here: far below the ask timeout (30 s), above a busy 2-core machine's hiccups. */
    protected static final Duration AT_ONCE = Duration.ofSeconds(3);
    private static final AtomicInteger IDS = new AtomicInteger();

    protected RuntimeHost host;
    protected FsmSupervisor<Counter> fsms;
    private String prefix;

    /** The journal and snapshot store under test, as Pekko configuration. */
    protected abstract Config persistenceConfig();

    /** The host: by default one ActorSystem running {@link Finitomata}. */
    protected RuntimeHost createHost(Config config) {
        ActorTestKit testKit = ActorTestKit.create(getClass().getSimpleName(), config);
        return new RuntimeHost() {
            @Override
            public List<ActorSystem<?>> systems() {
                return List.of(testKit.system());
            }

            @Override
            protected List<FsmSupervisor<Counter>> create(String id) {
                return List.of(Finitomata.create(testKit.system(), id, RecordingFsm.class, RecordingFsm::new));
            }

            @Override
            public Set<String> nodes() {
                return Set.of(testKit.system().address().toString());
            }

            @Override
            public void close() {
                testKit.shutdownTestKit();
            }
        };
    }

    /** The settings every host shares. */
    protected static Config contractConfig() {
        return ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.stdout-loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "dev.finitomata.FsmLoggingFilter"
                finitomata.history-size = 3
                finitomata.snapshot-every = 4
                finitomata.ask-timeout = 30s
                finitomata.restart-backoff.min = 100ms
                """);
    }

    @BeforeAll
    void startHost() {
        host = createHost(UnreadableJournal.around(
                persistenceConfig().withFallback(contractConfig()).withFallback(ConfigFactory.load())));
    }

    @AfterAll
    void stopHost() {
        host.close();
    }

    @BeforeEach
    void newSupervisor() {
        int n = IDS.incrementAndGet();
        prefix = getClass().getSimpleName() + "-" + n + "-";
        fsms = host.supervisor("t" + n + "-" + System.nanoTime());
    }

    protected String name(String suffix) {
        return prefix + suffix;
    }

    protected static <T> T await(CompletionStage<T> stage) {
        return await(stage, TIMEOUT);
    }

    private static <T> T await(CompletionStage<T> stage, Duration within) {
        try {
            return stage.toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + within, e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The answer, which must come at once (not after a timeout). */
    protected static <T> T atOnce(CompletionStage<T> stage) {
        return await(stage, AT_ONCE);
    }

    protected static <T extends Throwable> T failsWith(Class<T> type, CompletionStage<?> stage) {
        return assertThrows(type, () -> await(stage));
    }

    protected static <T extends Throwable> T failsAtOnceWith(Class<T> type, CompletionStage<?> stage) {
        return assertThrows(type, () -> atOnce(stage));
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

    /** Started and moved to 'working'. */
    private String working(String suffix) {
        String name = started(suffix);
        await(fsms.transitionAndWait(name, "start", null));
        return name;
    }

    /** Moves a working FSM to '*'; answers the last state. */
    private FsmState<Counter> finish(String name) {
        await(fsms.transitionAndWait(name, "stop", null));
        return await(fsms.transitionAndWait(name, "__end__", null));
    }

    /** Every call on {@code name}, which does not run, answers "not running" at once. */
    private void answersNotRunningAtOnce(String name) {
        assertEquals(Optional.empty(), atOnce(fsms.state(name)), "state of " + name);
        assertEquals(Optional.empty(), atOnce(fsms.details(name)), "details of " + name);
        failsAtOnceWith(FsmNotFoundException.class, fsms.timerTick(name));
        failsAtOnceWith(FsmNotFoundException.class, fsms.resetTimer(name));
        assertFalse(atOnce(fsms.alive(name)), "alive of " + name);
        failsAtOnceWith(FsmNotFoundException.class, fsms.transitionAndWait(name, "work", null));
        failsAtOnceWith(FsmNotFoundException.class, fsms.stop(name));
        assertFalse(atOnce(fsms.all()).containsKey(name), "all() lists " + name);
        long dropped = fsms.droppedEvents();
        fsms.transition(name, "work", null);
        fsms.transition(name, "work", null, Duration.ofMillis(10));
        eventually(() -> fsms.droppedEvents() >= dropped + 2, "both events to " + name + " are dropped and counted");
    }

    // ---- starting ----

    // ---- counts and queries by state ----

    private static List<String> names(List<FsmSummary> found) {
        return found.stream().map(FsmSummary::name).toList();
    }

    /** Waits (polling the clock, no sleep) until the FSMs' clock has passed {@code instant}. */
    private static void clockPasses(java.time.Instant instant) {
        long deadline = System.nanoTime() + AT_ONCE.toNanos();
        while (System.currentTimeMillis() <= instant.toEpochMilli() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @Test
    void countsByStateAreExactAndReadTheirOwnWrites() {
        assertEquals(Map.of(), await(fsms.countByState()));
        for (int i = 0; i < 5; i++) {
            await(fsms.start(name("c" + i), new Counter(0)));
        }
        assertEquals(Map.of("idle", 5L), await(fsms.countByState()));
        await(fsms.transitionAndWait(name("c0"), "start", null)); // read at once: counted before the call completed
        assertEquals(Map.of("idle", 4L, "working", 1L), await(fsms.countByState()));
        await(fsms.transitionAndWait(name("c1"), "start", null));
        await(fsms.transitionAndWait(name("c1"), "work", null)); // a self-transition moves nothing between states
        failsWith(FsmTransitionException.class, fsms.transitionAndWait(name("c2"), "work", null)); // refused
        assertEquals(Map.of("idle", 3L, "working", 2L), await(fsms.countByState()));

        await(fsms.stop(name("c2")));                                    // stopped: not counted
        await(fsms.transitionAndWait(name("c1"), "stop", null));         // to 'done': still runs
        await(fsms.transitionAndWait(name("c1"), "__end__", null));      // finished: not counted
        await(fsms.delete(name("c3")));                                  // deleted: not counted
        assertEquals(Map.of("idle", 1L, "working", 1L), await(fsms.countByState()));
        assertEquals(StartResult.LOADED, await(fsms.start(name("c2"), new Counter(0)))); // loaded: counted again
        assertEquals(Map.of("idle", 2L, "working", 1L), await(fsms.countByState()));
    }

    @Test
    void findListsTheFsmsInAStateOldestFirstWithTimeBoundsLimitsAndPages() {
        for (int i = 0; i < 4; i++) {
            await(fsms.start(name("f" + i), new Counter(0)));
            await(fsms.transitionAndWait(name("f" + i), "start", null));
        }
        List<FsmSummary> working = await(fsms.find(FsmQuery.inState("working")));
        assertEquals(List.of(name("f0"), name("f1"), name("f2"), name("f3")), names(working));
        assertTrue(working.stream().allMatch(s -> s.state().equals("working")));
        FsmSummary f1 = working.get(1);
        assertEquals(await(fsms.state(name("f1"))).orElseThrow().current(), f1.state());

        // entering the state again (a self-transition) counts: f1 moves to the end
        clockPasses(working.get(3).since());
        FsmState<Counter> again = await(fsms.transitionAndWait(name("f1"), "work", null));
        assertEquals("working", again.current());
        List<FsmSummary> now = await(fsms.find(FsmQuery.inState("working")));
        assertEquals(List.of(name("f0"), name("f2"), name("f3"), name("f1")), names(now));
        assertTrue(now.get(3).since().isAfter(f1.since()));

        // entered before: strictly before the instant
        assertEquals(List.of(name("f0"), name("f2"), name("f3")),
                names(await(fsms.find(FsmQuery.inState("working").enteredBefore(now.get(3).since())))));
        assertEquals(List.of(), await(fsms.find(FsmQuery.inState("working").enteredBefore(now.get(0).since()))));
        // limit and paging
        List<FsmSummary> page1 = await(fsms.find(FsmQuery.inState("working").limit(2)));
        assertEquals(List.of(name("f0"), name("f2")), names(page1));
        List<FsmSummary> page2 = await(fsms.find(FsmQuery.inState("working").limit(2).after(page1.get(1))));
        assertEquals(List.of(name("f3"), name("f1")), names(page2));
        assertEquals(List.of(), await(fsms.find(FsmQuery.inState("working").after(page2.get(1)))));
        // a state with none, one nobody has heard of
        assertEquals(List.of(), await(fsms.find(FsmQuery.inState("paused"))));
        assertEquals(List.of(), await(fsms.find(FsmQuery.inState("no-such-state"))));
        assertThrows(NullPointerException.class, () -> fsms.find(null));
        assertThrows(IllegalArgumentException.class, () -> FsmQuery.inState("working").limit(0));
    }

    /** Whether the store has a read journal, so that {@code history} reads it (Pekko's inmem journal has none). */
    protected boolean readsHistory() {
        return true;
    }

    private static List<String> steps(List<FsmHistoryEntry<Counter>> history) {
        return history.stream().map(e -> e.from() + ">" + e.event() + ">" + e.to()).toList();
    }

    @Test
    void historyReadsTheCommittedTransitionsOfTheCurrentLifeFromTheJournal() {
        String name = name("story");
        if (!readsHistory()) { // answered at once, naming the setting that fixes it
            IllegalStateException e = failsAtOnceWith(IllegalStateException.class, fsms.history(name));
            assertTrue(e.getMessage().contains("finitomata.read-journal-plugin"), e.getMessage());
            return;
        }
        assertEquals(List.of(), await(fsms.history(name))); // never started
        java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        await(fsms.start(name, new Counter(0)));
        await(fsms.transitionAndWait(name, "start", null));
        FsmState<Counter> worked = await(fsms.transitionAndWait(name, "work", null));
        List<FsmHistoryEntry<Counter>> story = await(fsms.history(name)); // read-your-writes
        assertEquals(List.of("*>__start__>idle", "idle>start>working", "working>work>working"), steps(story));
        assertEquals(new Counter(0), story.get(0).payload());
        assertEquals(worked.payload(), story.get(2).payload());
        for (int i = 0; i < story.size(); i++) {
            FsmHistoryEntry<Counter> entry = story.get(i);
            assertTrue(!entry.at().isBefore(before.minusMillis(1)) && !entry.at().isAfter(java.time.Instant.now()),
                    entry.toString());
            if (i > 0) {
                assertTrue(entry.sequenceNr() > story.get(i - 1).sequenceNr(), story.toString());
                assertFalse(entry.at().isBefore(story.get(i - 1).at()), story.toString());
            }
        }

        await(fsms.stop(name)); // stopped: read from the journal all the same
        assertEquals(steps(story), steps(await(fsms.history(name))));
        assertEquals(StartResult.LOADED, await(fsms.start(name, new Counter(9))));
        await(fsms.transitionAndWait(name, "stop", null));
        await(fsms.transitionAndWait(name, "__end__", null));
        List<FsmHistoryEntry<Counter>> finished = await(fsms.history(name)); // a finished FSM keeps its story
        assertEquals(List.of("*>__start__>idle", "idle>start>working", "working>work>working",
                "working>stop>done", "done>__end__>*"), steps(finished));
        assertEquals(Optional.empty(), await(fsms.state(name)));

        assertEquals(StartResult.STARTED, await(fsms.start(name, new Counter(7)))); // a new life
        List<FsmHistoryEntry<Counter>> reborn = await(fsms.history(name));
        assertEquals(List.of("*>__start__>idle"), steps(reborn));
        assertEquals(new Counter(7), reborn.get(0).payload());
        assertTrue(reborn.get(0).sequenceNr() > finished.get(4).sequenceNr());

        await(fsms.delete(name)); // deleted: nothing to tell
        assertEquals(List.of(), await(fsms.history(name)));
        assertThrows(IllegalArgumentException.class, () -> fsms.history(" "));
        assertThrows(NullPointerException.class, () -> fsms.history(null));
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

    /**
     * The races behind a rare CI failure of {@code eventsSentRightAfterStartWaitForTheStart}. Local: a start answered
     * between a call sent behind it (through the supervisor) and the next call, which went straight to the FSM and
     * overtook the first (2 failures in 2 runs before the fix). Cluster: a fresh gate that recovered "not running"
     * before the start reached it left at once, and the event behind the start was dropped (3 in 3 runs of 300).
     */
    @Test
    void aCallSentBehindAStartIsNeverOvertakenByTheNextCall() {
        for (int i = 0; i < 200; i++) {
            String name = name("behind-" + i);
            CompletionStage<StartResult> started = fsms.start(name, new Counter(0));
            fsms.transition(name, "start", null);
            while (!started.toCompletableFuture().isDone()) {
                Thread.onSpinWait(); // the next call is made right after the start is answered
            }
            assertEquals(new Counter(1), await(fsms.transitionAndWait(name, "work", null)).payload(), name);
        }
    }

    @Test
    void lifecycleCallsMadeWithoutWaitingTakeEffectInOrder() {
        String name = working("ordered");
        CompletionStage<Done> stopped = fsms.stop(name);
        CompletionStage<StartResult> loaded = fsms.start(name, new Counter(50));
        CompletionStage<FsmState<Counter>> worked = fsms.transitionAndWait(name, "work", null);
        CompletionStage<Done> deleted = fsms.delete(name);
        CompletionStage<StartResult> fresh = fsms.start(name, new Counter(7));
        await(stopped);
        assertEquals(StartResult.LOADED, await(loaded));
        assertEquals(new Counter(1), await(worked).payload());
        await(deleted);
        assertEquals(StartResult.STARTED, await(fresh));
        assertEquals(new Counter(7), state(name).payload());
        assertEquals("idle", state(name).current());
    }

    // ---- the pipeline and its failures ----

    @Test
    void pipelineRunsInOrder() {
        String name = started("order");
        List<String> calls = new CopyOnWriteArrayList<>();
        host.addListener((n, s, p) -> {
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
        String name = working("failures");
        FsmTransitionException failed = failsWith(FsmTransitionException.class,
                fsms.transitionAndWait(name, "work", "fail"));
        assertEquals(FsmError.Stage.TRANSITION, failed.error().stage());
        assertEquals("asked to fail", failed.error().reason());
        assertEquals("fail", failed.error().eventPayload());
        FsmTransitionException thrown = failsWith(FsmTransitionException.class,
                fsms.transitionAndWait(name, "work", "throw"));
        assertEquals(FsmError.Stage.TRANSITION, thrown.error().stage());
        assertTrue(thrown.error().reason().contains("IllegalStateException: boom"), thrown.error().reason());
        FsmTransitionException asserted = failsWith(FsmTransitionException.class,
                fsms.transitionAndWait(name, "assert", null));
        assertTrue(asserted.error().reason().contains("AssertionError"), asserted.error().reason());
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
    void everyHookIsGuarded() {
        // onRollback, onFailure: the transition fails as it would have, the hook's exception joins the reason
        String rollback = name("rollback-hook");
        RecordingFsm.FAULTS.put(rollback, Set.of("onRollback", "onFailure"));
        await(fsms.start(rollback, new Counter(0)));
        await(fsms.transitionAndWait(rollback, "start", null));
        FsmTransitionException disallowed = failsWith(FsmTransitionException.class,
                fsms.transitionAndWait(rollback, "work", "nowhere"));
        assertEquals(FsmError.Stage.ALLOWED, disallowed.error().stage());
        assertTrue(disallowed.error().reason().contains("onRollback threw"), disallowed.error().reason());
        String reason = state(rollback).lastError().orElseThrow().reason();
        assertTrue(reason.contains("onRollback threw") && reason.contains("onFailure threw"), reason);
        assertEquals(new Counter(1), await(fsms.transitionAndWait(rollback, "work", null)).payload());

        // timer(), onEnter, listeners: the transition stands, the error is recorded with its stage
        String timer = name("timer-hook");
        RecordingFsm.FAULTS.put(timer, Set.of("timer"));
        await(fsms.start(timer, new Counter(0)));
        FsmState<Counter> afterTimer = await(fsms.transitionAndWait(timer, "start", null));
        assertEquals("working", afterTimer.current());
        assertEquals(FsmError.Stage.TIMER, state(timer).lastError().orElseThrow().stage());
        String enter = name("enter-hook");
        RecordingFsm.FAULTS.put(enter, Set.of("onEnter"));
        await(fsms.start(enter, new Counter(0)));
        FsmState<Counter> entered = await(fsms.transitionAndWait(enter, "start", null));
        assertEquals("working", entered.current());
        assertEquals(FsmError.Stage.ENTER, entered.lastError().orElseThrow().stage());
        String listened = name("listener-hook");
        host.addListener((n, s, p) -> {
            if (n.equals(listened)) {
                throw new IllegalStateException("listener fails on purpose");
            }
        });
        await(fsms.start(listened, new Counter(0)));
        FsmState<Counter> heard = await(fsms.transitionAndWait(listened, "start", null));
        assertEquals("working", heard.current());
        assertEquals(FsmError.Stage.LISTENER, heard.lastError().orElseThrow().stage());

        // autoTerminate(), onTerminate: the FSM runs and finishes all the same
        String terminate = name("terminate-hooks");
        RecordingFsm.FAULTS.put(terminate, Set.of("autoTerminate", "onTerminate"));
        await(fsms.start(terminate, new Counter(0)));
        await(fsms.transitionAndWait(terminate, "start", null));
        FsmState<Counter> inDone = await(fsms.transitionAndWait(terminate, "stop", null));
        assertEquals("done", inDone.current(), "'done' only ends by __end__: autoTerminate() is asked there");
        assertEquals(FsmError.Stage.TERMINATE, inDone.lastError().orElseThrow().stage());
        FsmState<Counter> last = await(fsms.transitionAndWait(terminate, "__end__", null));
        assertEquals("*", last.current());
        assertEquals(FsmError.Stage.TERMINATE, last.lastError().orElseThrow().stage());
        assertTrue(last.lastError().orElseThrow().reason().contains("onTerminate threw"));
        assertEquals(Optional.empty(), atOnce(fsms.state(terminate)));

        // onTimer: recorded, and the timer keeps ticking
        String ticking = name("ontimer-hook");
        RecordingFsm.FAULTS.put(ticking, Set.of("onTimer"));
        RecordingFsm.TIMERS.put(ticking, Duration.ofMillis(50));
        await(fsms.start(ticking, new Counter(0)));
        eventually(() -> RecordingFsm.log(ticking).stream().filter(s -> s.startsWith("onTimer")).count() >= 3,
                "onTimer keeps being called although it throws");
        assertEquals(FsmError.Stage.TIMER, state(ticking).lastError().orElseThrow().stage());
    }

    @Test
    void softEventFailureSkipsOnFailure() {
        String name = working("soft");
        FsmTransitionException e = failsWith(FsmTransitionException.class,
                fsms.transitionAndWait(name, "pause?", "no"));
        assertEquals("pause?", e.error().event());
        assertEquals(Optional.of(e.error()), state(name).lastError());
        assertFalse(RecordingFsm.log(name).contains("onFailure:pause?"));
        assertEquals("paused", await(fsms.transitionAndWait(name, "pause?", null)).current());
    }

    @Test
    void hardEventsFireByThemselves() {
        String name = working("hard");
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
        String name = working("hard-order");
        fsms.transition(name, "check", null);
        // 'stop' is not accepted until the chain has reached 'done', where 'stop' is refused: it must fail there
        FsmTransitionException e = failsWith(FsmTransitionException.class,
                fsms.transitionAndWait(name, "stop", null));
        assertEquals("done", e.error().state());
    }

    @Test
    void nonDeterministicTargetsAreChosenByOnTransition() {
        String name = working("split");
        assertEquals("right", await(fsms.transitionAndWait(name, "split", "right")).current());
        assertEquals("working", await(fsms.transitionAndWait(name, "join", null)).current());
        assertEquals("left", await(fsms.transitionAndWait(name, "split", null)).current());
    }

    // ---- finishing ----

    /** Issue 25, point 7: listeners declared by the FSM type, and listeners removed. */
    @Test
    void listenersDeclaredByTheTypeHearEveryFsmAndAnyListenerCanBeRemoved() {
        String name = working("declared");
        assertEquals(List.of("idle", "working"), RecordingFsm.DECLARED_HEARD.get(name), "heard before the answer");
        List<String> heard = new CopyOnWriteArrayList<>();
        FsmListener<Counter> mine = (n, state, payload) -> {
            if (n.equals(name)) {
                heard.add(state);
            }
        };
        host.addListener(mine);
        await(fsms.transitionAndWait(name, "work", null));
        assertEquals(List.of("working"), heard);
        assertTrue(host.removeListener(mine));
        assertFalse(host.removeListener(mine), "removed already");
        assertTrue(host.removeListener(RecordingFsm.DECLARED), "the declared one is removable too");
        await(fsms.transitionAndWait(name, "work", null));
        assertEquals(List.of("working"), heard, "told of nothing after its removal");
        assertEquals(List.of("idle", "working", "working"), RecordingFsm.DECLARED_HEARD.get(name));
    }

    /** Issue 25, point 7: the history with re-entries collapsed, and its helpers. */
    @Test
    void visitsCollapseReEntriesOfTheHistory() {
        String name = working("visits");
        await(fsms.transitionAndWait(name, "work", null));
        FsmState<Counter> state = await(fsms.transitionAndWait(name, "work", null));
        assertEquals(List.of("working", "working", "idle"), state.history()); // finitomata.history-size = 3
        assertEquals(List.of(new FsmState.Visit("working", 2), new FsmState.Visit("idle", 1)), state.visits());
        assertEquals(Optional.of("working"), state.previous());
        assertTrue(state.visited("idle"));
        assertFalse(state.visited("paused"));
    }

    /** Issue 25, point 7: onTerminate hears of every end of a run, with its reason. */
    @Test
    void onTerminateIsToldWhyTheRunEnded() {
        String finished = working("end-finished");
        finish(finished);
        assertTrue(RecordingFsm.log(finished).containsAll(List.of("onTerminate:FINISHED", "onTerminate")),
                RecordingFsm.log(finished).toString());
        String stopped = working("end-stopped");
        await(fsms.stop(stopped));
        assertTrue(RecordingFsm.log(stopped).contains("onTerminate:STOPPED"), RecordingFsm.log(stopped).toString());
        assertFalse(RecordingFsm.log(stopped).contains("onTerminate"), "the one-argument onTerminate: finishes only");
        await(fsms.delete(stopped));
        assertEquals(1, RecordingFsm.log(stopped).stream().filter(e -> e.startsWith("onTerminate:")).count(),
                "deleting a stopped FSM ends no run: " + RecordingFsm.log(stopped));
        String deleted = working("end-deleted");
        await(fsms.delete(deleted));
        assertTrue(RecordingFsm.log(deleted).contains("onTerminate:DELETED"), RecordingFsm.log(deleted).toString());
    }

    @Test
    void finishingEndsTheFsmAfterOnTerminate() {
        String name = working("finish");
        FsmState<Counter> last = finish(name);
        assertEquals("*", last.current());
        assertTrue(RecordingFsm.log(name).contains("onTerminate"));
        answersNotRunningAtOnce(name);
        assertFalse(atOnce(fsms.all()).containsKey(name));
    }

    @Test
    void aFinishedFsmStartsFreshEveryTime() {
        String name = name("again");
        for (int life = 0; life < 20; life++) {
            assertEquals(StartResult.STARTED, atOnce(fsms.start(name, new Counter(life))), "life " + life);
            await(fsms.transitionAndWait(name, "start", null));
            await(fsms.transitionAndWait(name, "work", null));
            finish(name);
            assertEquals(Optional.empty(), atOnce(fsms.state(name)), "life " + life + ": state() after the finish");
        }
        assertEquals(StartResult.STARTED, atOnce(fsms.start(name, new Counter(99))));
        FsmState<Counter> fresh = state(name);
        assertEquals("idle", fresh.current());
        assertEquals(new Counter(99), fresh.payload());
        assertEquals(List.of(), fresh.history(), "a new life has no history");
        assertEquals(Lifecycle.CREATED, fresh.lifecycle());
        assertEquals(new Counter(99), await(fsms.transitionAndWait(name, "start", null)).payload());
    }

    @Test
    void delaysOfAFinishedLifeNeverFireInTheNext() {
        String name = working("stale");
        fsms.transition(name, "work", null, Duration.ofMillis(400)); // persisted before the next call is handled
        finish(name);
        assertEquals(StartResult.STARTED, await(fsms.start(name, new Counter(0))));
        await(fsms.transitionAndWait(name, "start", null));
        // reload the new life from the journal: recovery must not re-arm the old life's delay
        await(fsms.stop(name));
        assertEquals(StartResult.LOADED, await(fsms.start(name, new Counter(0))));
        fsms.transition(name, "split", null, Duration.ofMillis(900)); // the marker, due after the stale one
        eventually(() -> state(name).current().equals("left"), "the marker fires");
        assertEquals(new Counter(0), state(name).payload(), "the old life's 'work' must never fire");
    }

    // ---- stopping, crashing, deleting ----

    @Test
    void reloadsAfterStop() {
        String name = working("reload");
        for (int i = 0; i < 6; i++) {
            await(fsms.transitionAndWait(name, "work", null));
        }
        await(fsms.stop(name));
        assertFalse(atOnce(fsms.alive(name)));
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
    void aStoppedFsmRefusesEverythingUntilItIsLoaded() {
        String name = working("stopped");
        await(fsms.transitionAndWait(name, "work", null));
        int count = await(fsms.count());
        await(fsms.stop(name));
        answersNotRunningAtOnce(name);
        assertEquals(count - 1, atOnce(fsms.count()));
        assertEquals(StartResult.LOADED, await(fsms.start(name, new Counter(0))));
        assertEquals(new Counter(1), state(name).payload(), "nothing sent while stopped was applied");
        assertEquals(new Counter(2), await(fsms.transitionAndWait(name, "work", null)).payload());
        assertTrue(atOnce(fsms.alive(name)));
    }

    @Test
    void deleteErasesThePersistedState() {
        String name = working("delete");
        await(fsms.delete(name));
        answersNotRunningAtOnce(name);
        assertEquals(StartResult.STARTED, await(fsms.start(name, new Counter(42))));
        assertEquals("idle", state(name).current());
        assertEquals(new Counter(42), state(name).payload());
        // a stopped FSM is erased too, and a name with nothing stored deletes quietly
        await(fsms.stop(name));
        await(fsms.delete(name));
        assertEquals(StartResult.STARTED, await(fsms.start(name, new Counter(1))));
        await(fsms.delete(name("nothing-stored")));
        assertEquals(Optional.empty(), atOnce(fsms.state(name("nothing-stored"))));
    }

    @Test
    void delayedTransitionsSurviveStopAndStart() {
        String name = working("delayed");
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
    void detailsShowTheNodeThePendingDelaysAndTheTimer() {
        String name = name("details");
        RecordingFsm.TIMERS.put(name, Duration.ofHours(2));
        await(fsms.start(name, new Counter(0)));
        await(fsms.transitionAndWait(name, "start", null));
        java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        fsms.transition(name, "work", new Counter(5), Duration.ofHours(3));
        fsms.transition(name, "stop", null, Duration.ofHours(1));
        eventually(() -> await(fsms.details(name)).orElseThrow().delays().size() == 2, "both delays are pending");
        FsmDetails<Counter> details = await(fsms.details(name)).orElseThrow();
        assertEquals(state(name), details.state());
        assertEquals(atOnce(fsms.all()).get(name).node(), details.node(), "the node that hosts it");
        assertTrue(host.nodes().contains(details.node()), details.node());
        assertEquals(List.of("stop", "work"), details.delays().stream().map(FsmDetails.Delay::event).toList(),
                "earliest first");
        assertEquals(new Counter(5), details.delays().get(1).eventPayload());
        assertFalse(details.delays().get(0).dueAt().isBefore(before.plus(Duration.ofHours(1))));
        assertTrue(details.delays().get(0).dueAt().isBefore(java.time.Instant.now().plus(Duration.ofHours(1))));
        FsmDetails.Timer timer = details.timer().orElseThrow(() -> new AssertionError("no timer in " + details));
        assertEquals(Duration.ofHours(2), timer.interval());
        assertTrue(timer.nextTick().isAfter(before.plus(Duration.ofMinutes(119))), timer.toString());
        await(fsms.stop(name));
        assertEquals(Optional.empty(), atOnce(fsms.details(name)), "a stopped FSM has no details");
    }

    @Test
    void timerTickRunsOnTimerNowAndResetTimerRestartsTheCountdown() {
        String name = name("tick-now");
        RecordingFsm.TIMERS.put(name, Duration.ofHours(1));
        await(fsms.start(name, new Counter(0)));
        await(fsms.transitionAndWait(name, "start", null));
        await(fsms.timerTick(name)); // onTimer in 'working' adds 100, an hour early
        assertEquals(new Counter(100), state(name).payload(), "a call after timerTick sees its outcome");
        assertTrue(RecordingFsm.log(name).contains("onTimer:working"));
        java.time.Instant next = await(fsms.details(name)).orElseThrow().timer().orElseThrow().nextTick();
        clockPasses(java.time.Instant.ofEpochMilli(System.currentTimeMillis() + 20));
        await(fsms.resetTimer(name));
        java.time.Instant reset = await(fsms.details(name)).orElseThrow().timer().orElseThrow().nextTick();
        assertTrue(reset.isAfter(next), "the countdown starts again from now: " + next + " then " + reset);
        assertEquals(new Counter(100), state(name).payload(), "resetting runs no tick");

        String untimed = working("no-timer");
        FsmTransitionException none = failsWith(FsmTransitionException.class, fsms.timerTick(untimed));
        assertEquals(FsmError.Stage.TIMER, none.error().stage());
        assertTrue(none.getMessage().contains("has no timer"), none.getMessage());
        failsWith(FsmTransitionException.class, fsms.resetTimer(untimed));
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

    // ---- what is published ----

    @Test
    void transitionsAndFailuresArePublishedOnTheEventStream() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        Behavior<Object> recorder = Behaviors.receiveMessage(m -> {
            seen.add(m);
            return Behaviors.same();
        });
        for (ActorSystem<?> system : host.systems()) {
            var ref = system.systemActorOf(recorder, "recorder-" + IDS.incrementAndGet(),
                    org.apache.pekko.actor.typed.Props.empty());
            system.eventStream().tell(new EventStream.Subscribe<>(FsmTransitioned.class, ref.narrow()));
            system.eventStream().tell(new EventStream.Subscribe<>(FsmFailed.class, ref.narrow()));
        }
        String name = name("events");
        // a subscription is made through an actor: retry the first transition until it is seen
        eventually(() -> {
            await(fsms.delete(name));
            await(fsms.start(name, new Counter(0)));
            return seen.stream().anyMatch(m -> m instanceof FsmTransitioned t && t.name().equals(name));
        }, "subscribed");
        await(fsms.transitionAndWait(name, "start", null));
        failsWith(FsmTransitionException.class, fsms.transitionAndWait(name, "resume", null));
        eventually(() -> seen.stream().anyMatch(m -> m instanceof FsmFailed f && f.name().equals(name)),
                "the failure is published");
        assertTrue(seen.contains(new FsmTransitioned(fsms.id(), name, "idle", "start", "working", new Counter(0))));
        FsmFailed failed = seen.stream().filter(m -> m instanceof FsmFailed f && f.name().equals(name))
                .map(FsmFailed.class::cast).findFirst().orElseThrow();
        assertEquals(FsmError.Stage.ACCEPT, failed.error().stage());
        assertEquals(fsms.id(), failed.supervisorId());
        assertTrue(failed.persistenceId().endsWith("|RecordingFsm|" + name), failed.persistenceId());
    }

    // ---- names that do not run, bad input ----

    @Test
    void unknownNamesAnswerAtOnce() {
        answersNotRunningAtOnce(name("nobody"));
        assertFalse(atOnce(fsms.alive(name("nobody"))), "no zombie FSM");
        assertEquals(0, atOnce(fsms.count()));
    }

    @Test
    void badInputIsRefusedClearly() {
        // the definition is known before any FSM of the type ran
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> fsms.transition(name("none-yet"), "fly", null));
        assertTrue(unknown.getMessage().contains("event 'fly' is not in the definition of RecordingFsm"),
                unknown.getMessage());
        String name = started("bad");
        assertThrows(NullPointerException.class, () -> fsms.start(null, new Counter(0)));
        assertThrows(IllegalArgumentException.class, () -> fsms.start(" ", new Counter(0)));
        assertThrows(IllegalArgumentException.class, () -> fsms.transitionAndWait(name, "fly", null));
        assertThrows(IllegalArgumentException.class, () -> fsms.transition(name, "work", null, Duration.ofSeconds(-1)));
        NullPointerException noPayload = assertThrows(NullPointerException.class,
                () -> fsms.start(name("null-payload"), null));
        assertTrue(noPayload.getMessage().startsWith("payload must not be null"), noPayload.getMessage());
        assertThrows(IllegalArgumentException.class, () -> host.supervisor("a|b"));
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> host.supervisor(fsms.id()));
        assertTrue(twice.getMessage().contains("already runs"), twice.getMessage());
        FsmTransitionException start = failsWith(FsmTransitionException.class,
                fsms.start(name("negative"), new Counter(-1)));
        assertEquals(FsmError.Stage.START, start.error().stage());
        assertFalse(atOnce(fsms.alive(name("negative"))), "a failed start leaves nothing running");
        assertEquals(StartResult.STARTED, await(fsms.start(name("negative"), new Counter(1))));
    }

    /** Jackson cannot read it back: it has no way to build the {@code Runnable}. */
    record Opaque(Runnable task) {
    }

    @Test
    void aPayloadJacksonCannotRoundTripIsRefusedAtStart() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        FsmSupervisor<Object> raw = (FsmSupervisor) fsms;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> raw.start(name("opaque"), new Opaque(() -> { })));
        assertTrue(e.getMessage().contains("payload of type dev.finitomata.FsmRuntimeContract$Opaque cannot be "
                + "serialised with Jackson"), e.getMessage());
        assertFalse(atOnce(fsms.alive(name("opaque"))), "nothing was started");
    }

    @Test
    void anEventPayloadJacksonCannotRoundTripIsRefusedAtTheCall() {
        String name = working("opaque-event");
        Opaque opaque = new Opaque(() -> { });
        for (Runnable call : List.<Runnable>of(
                () -> fsms.transition(name, "work", opaque),
                () -> fsms.transition(name, "work", opaque, Duration.ofMillis(10)),
                () -> fsms.transitionAndWait(name, "work", opaque))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
            assertTrue(e.getMessage().contains("event payload of type dev.finitomata.FsmRuntimeContract$Opaque "
                    + "cannot be serialised with Jackson"), e.getMessage());
            assertTrue(e.getMessage().contains("make it a record") && e.getMessage().contains("@JsonCreator")
                    && e.getMessage().contains("-parameters"), "says how to fix it: " + e.getMessage());
        }
        assertEquals(new Counter(1), await(fsms.transitionAndWait(name, "work", null)).payload(),
                "nothing was applied");
    }

    // ---- all, count, random; blocking ----

    @Test
    void allCountAndRandom() {
        List<String> names = List.of(started("a"), started("b"), started("c"));
        Map<String, FsmLocation> all = await(fsms.all());
        assertEquals(Set.copyOf(names), all.keySet());
        all.values().forEach(location -> assertTrue(host.nodes().contains(location.node()), location.toString()));
        assertEquals(3, await(fsms.count()));
        assertTrue(names.contains(await(fsms.random()).orElseThrow()));
    }

    /**
     * For a host whose FSMs passivate after 50 ms ({@code passivations}: how many times they did so far): every FSM
     * counts, is listed and is counted in its state while its actor passivates and a call wakes it, over 40
     * passivations. The sharded gate once let an FSM go before its shard's register had it, and the register before
     * the woken FSM had recovered: a census in between missed it.
     */
    protected void censusWhilePassivating(java.util.function.LongSupplier passivations) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            names.add(working("census-" + i));
        }
        long before = passivations.getAsLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int censuses = 0;
        java.util.Random random = new java.util.Random(26);
        long nextCall = System.nanoTime();
        while (passivations.getAsLong() - before < 40) {
            assertTrue(System.nanoTime() < deadline, "only " + (passivations.getAsLong() - before)
                    + " passivations in 30 s");
            if (System.nanoTime() >= nextCall) { // each FSM about every 200 ms: it passivates after 50 ms
                fsms.transition(names.get(random.nextInt(names.size())), "work", null); // wakes it
                nextCall += Duration.ofMillis(20).toNanos();
            }
            assertEquals(Set.copyOf(names), await(fsms.all()).keySet(), "census " + censuses);
            assertEquals(names.size(), await(fsms.count()), "census " + censuses);
            assertEquals(Map.of("working", (long) names.size()), await(fsms.countByState()), "census " + censuses);
            censuses++;
        }
        System.out.printf("census while passivating: %d censuses, %d passivations%n", censuses,
                passivations.getAsLong() - before);
    }

    @Test
    void allAndCountKnowAStartOrFinishAsSoonAsItIsAnswered() {
        String name = name("census");
        for (int life = 0; life < 30; life++) {
            assertEquals(StartResult.STARTED, await(fsms.start(name, new Counter(life))));
            assertTrue(await(fsms.all()).containsKey(name), "life " + life + ": all() right after STARTED");
            assertEquals(1, await(fsms.count()), "life " + life + ": count() right after STARTED");
            await(fsms.transitionAndWait(name, "start", null));
            finish(name);
            assertFalse(await(fsms.all()).containsKey(name), "life " + life + ": all() right after the finish");
            assertEquals(0, await(fsms.count()), "life " + life + ": count() right after the finish");
        }
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

    /**
     * Issue 24, point 6: a start whose journal read keeps failing answers within 1 s with stage {@code START} and the
     * journal's cause (not after the ask timeout), again while it keeps failing, and goes through once the journal
     * reads again; on every host and store ({@link UnreadableJournal} fails the reads in front of the real journal).
     */
    @Test
    void aStartWhoseJournalReadKeepsFailingAnswersAtOnceWithTheCause() {
        String name = name("unreadable");
        String pid = dev.finitomata.internal.runtime.PersistenceIds.of(fsms.id(), RecordingFsm.class, name);
        UnreadableJournal.breakReads(pid, new IllegalStateException("the disk is on fire"));
        try {
            long sent = System.nanoTime();
            FsmTransitionException e = failsAtOnceWith(FsmTransitionException.class,
                    fsms.start(name, new Counter(0)));
            double took = (System.nanoTime() - sent) / 1e9;
            assertTrue(took < 1, "answered after " + took + " s");
            assertEquals(FsmError.Stage.START, e.error().stage(), e.getMessage());
            assertTrue(e.getMessage().contains("the disk is on fire"), e.getMessage());
            assertFalse(atOnce(fsms.alive(name)));
            // and again, while it keeps failing
            sent = System.nanoTime();
            assertEquals(FsmError.Stage.START, failsAtOnceWith(FsmTransitionException.class,
                    fsms.start(name, new Counter(0))).error().stage());
            took = (System.nanoTime() - sent) / 1e9;
            assertTrue(took < 1, "answered again after " + took + " s");
        } finally {
            UnreadableJournal.mendReads(pid);
        }
        eventually(() -> {
            try {
                return await(fsms.start(name, new Counter(5))) == StartResult.STARTED;
            } catch (RuntimeException stillFailing) {
                return false;
            }
        }, "the start goes through once the journal reads again");
        assertEquals(new Counter(5), state(name).payload());
    }
}
