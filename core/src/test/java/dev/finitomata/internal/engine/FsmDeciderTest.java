package dev.finitomata.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.finitomata.Counter;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmError;
import dev.finitomata.FsmListener;
import dev.finitomata.FsmState;
import dev.finitomata.RecordingFsm;
import dev.finitomata.internal.protocol.Data;
import dev.finitomata.internal.protocol.Event.DelayScheduled;
import dev.finitomata.internal.protocol.Event.Erased;
import dev.finitomata.internal.protocol.Event.Resumed;
import dev.finitomata.internal.protocol.Event.Stopped;
import dev.finitomata.internal.protocol.Event.Transitioned;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The transition pipeline without Pekko: {@link FsmDecider} driven with plain {@link Data} values, no ActorSystem.
 */
class FsmDeciderTest {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final String name = "core-" + NAMES.incrementAndGet();
    private final List<FsmError> reported = new ArrayList<>();
    private final AtomicInteger cleared = new AtomicInteger();
    private final List<FsmListener<Object>> listeners = new ArrayList<>();
    private java.util.function.Consumer<Object> check = payload -> { };

    private FsmDecider<Counter> core() {
        FsmContext context = UserCode.get().context("core", name, "fsm|core|RecordingFsm|" + name,
                Clock.systemUTC(), null, null, RecordingFsm.class);
        return new FsmDecider<>(new RecordingFsm(context), RecordingFsm.DEFINITION, name,
                LoggerFactory.getLogger(FsmDeciderTest.class), listeners, payload -> check.accept(payload),
                new FsmDecider.Reporter() {
                    @Override
                    public void failed(FsmError error) {
                        reported.add(error);
                    }

                    @Override
                    public void cleared() {
                        cleared.incrementAndGet();
                    }
                });
    }

    private static Data in(String state, int value) {
        return new Data(state, new Counter(value), List.of(), Map.of(), false, 1);
    }

    private List<String> log() {
        return RecordingFsm.log(name);
    }

    private void faults(String... hooks) {
        RecordingFsm.FAULTS.put(name, Set.of(hooks));
    }

    @Test
    void anAcceptedEventRunsOnExitThenOnTransitionAndCommits() {
        Step<Counter> step = core().decide(in("working", 1), "work", null, new Counter(1));
        assertEquals(new Step.Commit<>("working", "work", "working", new Counter(2)), step);
        assertEquals(List.of("onExit:working", "onTransition:working:work"), log());
    }

    @Test
    void aStartRunsOnStartThenTheEntryEventFromTheStar() {
        assertEquals(new Step.Commit<>("*", "__start__", "idle", new Counter(4)), core().start(new Counter(4)));
        assertEquals(List.of("onStart", "onTransition:*:__start__"), log());
        Step.Refuse<Counter> refused = narrow(Step.Refuse.class, core().start(new Counter(-1)));
        assertEquals(FsmError.Stage.START, refused.error().stage());
        assertTrue(refused.error().reason().contains("onStart threw java.lang.IllegalArgumentException"));
    }

    @Test
    void everyRefusalHasItsStageAndNothingToCommit() {
        FsmDecider<Counter> core = core();
        Data working = in("working", 0);
        Step.Refuse<?> notAccepted = assertInstanceOf(Step.Refuse.class, core.decide(working, "resume", null,
                new Counter(0)));
        assertEquals(FsmError.Stage.ACCEPT, notAccepted.error().stage());
        assertFalse(log().contains("onExit:working"), "onExit only for accepted events");
        assertEquals(FsmError.Stage.TRANSITION, ((Step.Refuse<?>) core.decide(working, "work", "fail",
                new Counter(0))).error().stage());
        Step.Refuse<?> thrown = (Step.Refuse<?>) core.decide(working, "work", "throw", new Counter(0));
        assertEquals(FsmError.Stage.TRANSITION, thrown.error().stage());
        assertTrue(thrown.error().reason().contains("onTransition threw java.lang.IllegalStateException: boom"));
        Step.Refuse<?> asserted = (Step.Refuse<?>) core.decide(working, "assert", null, new Counter(0));
        assertTrue(asserted.error().reason().contains("AssertionError"), asserted.error().reason());
        Step.Refuse<?> disallowed = (Step.Refuse<?>) core.decide(working, "work", "nowhere", new Counter(0));
        assertEquals(FsmError.Stage.ALLOWED, disallowed.error().stage());
        assertTrue(log().contains("onRollback:paused"));
        check = payload -> {
            throw new IllegalArgumentException("payload of type Counter cannot be serialised");
        };
        Step.Refuse<?> unjournalable = (Step.Refuse<?>) core.decide(working, "work", null, new Counter(0));
        assertEquals(FsmError.Stage.PERSIST, unjournalable.error().stage());
        assertTrue(reported.isEmpty(), "deciding records nothing; refused() does");
    }

    @Test
    void hooksThatThrowAreFoldedIntoTheError() {
        faults("onRollback", "onFailure");
        FsmDecider<Counter> core = core();
        Data working = in("working", 0);
        Step.Refuse<Counter> disallowed = narrow(Step.Refuse.class,
                core.decide(working, "work", "nowhere", new Counter(0)));
        assertTrue(disallowed.error().reason().endsWith("(and onRollback threw java.lang.IllegalStateException: "
                + "onRollback fails on purpose)"), disallowed.error().reason());
        core.refused(working, disallowed.error());
        FsmError recorded = core.lastError().orElseThrow();
        assertTrue(recorded.reason().contains("onFailure threw"), recorded.reason());
        assertEquals(List.of(recorded), reported);
    }

    @Test
    void aRefusalSetsLastErrorCallsOnFailureAndASuccessClearsIt() {
        FsmDecider<Counter> core = core();
        Data working = in("working", 0);
        FsmError error = ((Step.Refuse<Counter>) core.decide(working, "resume", null, new Counter(0))).error();
        core.refused(working, error);
        assertEquals(Optional.of(error), core.lastError());
        assertEquals(Optional.of(error), core.view(working).lastError());
        assertTrue(log().contains("onFailure:resume"));
        core.refused(working, FsmDecider.error(FsmError.Stage.TRANSITION, "working", "pause?", null, "soft"));
        assertEquals(1, log().stream().filter(s -> s.startsWith("onFailure")).count(), "no onFailure for soft");
        assertEquals(2, reported.size());
        core.committed(in("working", 1), "working", "work");
        assertEquals(Optional.empty(), core.lastError());
        assertEquals(1, cleared.get());
        core.committed(in("working", 2), "working", "work");
        assertEquals(1, cleared.get(), "cleared only when there was an error");
    }

    @Test
    void afterACommitListenersOnEnterAndTheHardEventFollow() {
        List<String> heard = new ArrayList<>();
        listeners.add((n, state, payload) -> heard.add(state + ":" + payload));
        listeners.add((n, state, payload) -> {
            throw new IllegalStateException("a bad listener");
        });
        FsmDecider<Counter> core = core();
        Data checking = new Data("checking", new Counter(3), List.of("working"), Map.of(), false, 1);
        FsmState<Counter> afterListeners = core.committed(checking, "working", "check");
        assertEquals(List.of("checking:Counter[value=3]"), heard);
        assertEquals(FsmError.Stage.LISTENER, afterListeners.lastError().orElseThrow().stage());
        FsmDecider.Entered<Counter> entered = core.enter(checking, "check");
        assertEquals(Optional.of("done!"), entered.autoEvent(), "the hard event of 'checking' fires next");
        assertTrue(core.autoPending(checking));
        assertEquals(List.of("onEnter:checking"), log());
        core.refused(checking, FsmDecider.error(FsmError.Stage.TRANSITION, "checking", "done!", null, "no"));
        assertFalse(core.autoPending(checking), "a hard event that failed is not retried in that state");
    }

    @Test
    void onEnterOnTerminateTimerAndAutoTerminateAreGuarded() {
        faults("onEnter", "onTerminate", "timer", "autoTerminate");
        FsmDecider<Counter> core = core();
        FsmDecider.Entered<Counter> entered = core.enter(in("working", 0), "start");
        assertEquals(FsmError.Stage.ENTER, entered.state().lastError().orElseThrow().stage());
        assertEquals(Optional.empty(), core.timerInterval("working"));
        assertEquals(FsmError.Stage.TIMER, core.lastError().orElseThrow().stage());
        assertEquals(Optional.empty(), core.autoEvent("done"), "autoTerminate() threw: counts as false");
        assertEquals(FsmError.Stage.TERMINATE, core.lastError().orElseThrow().stage());
        FsmState<Counter> last = core.terminate(new Data("*", new Counter(0), List.of(), Map.of(), false, 1), "__end__",
                dev.finitomata.Termination.FINISHED);
        assertEquals("*", last.current());
        assertTrue(last.lastError().orElseThrow().reason().contains("onTerminate threw"));
        assertEquals(4, reported.size());
    }

    @Test
    void autoTerminatingFsmsFireEndByThemselves() {
        faults("terminate by itself");
        FsmDecider<Counter> core = core();
        assertEquals(Optional.of("__end__"), core.autoEvent("done"));
        assertEquals(Optional.empty(), core.autoEvent("working"));
    }

    @Test
    void timerTicksDecideUpdatesAndMoves() {
        FsmDecider<Counter> core = core();
        assertInstanceOf(TimerStep.Ok.class, core.tick(in("idle", 0)));
        assertEquals(new TimerStep.Update<>(new Counter(100)), core.tick(in("working", 0)));
        TimerStep.Move<Counter> move = narrow(TimerStep.Move.class, core.tick(in("working", 200)));
        assertEquals(new Step.Commit<>("working", "stop", "done", new Counter(300)), move.step());
        faults("onTimer");
        TimerStep.Failed<Counter> failed = narrow(TimerStep.Failed.class,
                core.tick(in("working", 0)));
        assertEquals(FsmError.Stage.TIMER, failed.error().stage());
        assertEquals(Optional.of(failed.error()), core.lastError());
    }

    @Test
    void aNewLifeStartsWithoutTheOldLifesHistoryOrDelays() {
        Data finished = new Data("working", new Counter(5), List.of("idle"),
                Map.of("d1", new DelayScheduled("d1", "work", null, 1L)), false, 1)
                .apply(Transitioned.of("working", "stop", "*", new Counter(5), 1, 1_000),
                        5);
        assertFalse(finished.started());
        assertEquals(Map.of(), finished.pending(), "a finish drops the pending delays");
        Data reborn = finished.apply(Transitioned.of("*", "__start__", "idle",
                new Counter(0), 1, 2_000), 5);
        assertEquals(List.of(), reborn.history());
        assertEquals(2_000, reborn.enteredAt(), "a transition records when the state was entered");
        assertEquals(2_000, reborn.apply(new Stopped(), 5).enteredAt(), "a stop does not enter a state");
        assertTrue(reborn.running());
        Data stopped = reborn.apply(new Stopped(), 5);
        assertTrue(stopped.started() && !stopped.running());
        assertTrue(stopped.apply(new Resumed(), 5).running());
        assertEquals(Data.EMPTY, stopped.apply(new Erased(), 5));
    }

    /** {@code assertInstanceOf}, typed as the generic step or tick the test names. */
    @SuppressWarnings("unchecked")
    private static <T> T narrow(Class<?> type, Object actual) {
        return (T) assertInstanceOf(type, actual);
    }
}
