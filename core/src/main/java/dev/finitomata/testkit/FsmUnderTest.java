package dev.finitomata.testkit;

import dev.finitomata.FsmError;
import dev.finitomata.FsmState;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.definition.FsmPath;
import dev.finitomata.definition.FsmTransition;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One FSM driven by an {@link FsmTestKit}: send events and assert where they lead. Every method waits (up to the
 * kit's timeout) and throws {@link AssertionError} with a readable message when the expectation is not met.
 *
 * @param <P> the payload type
 */
public final class FsmUnderTest<P> {

    private static final long POLL_MILLIS = 5;

    private final FsmTestKit<P> kit;
    private final String name;

    FsmUnderTest(FsmTestKit<P> kit, String name) {
        this.kit = kit;
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The FSM's name. */
    public String name() {
        return name;
    }

    /** The FSM's current state. @throws AssertionError if it is not running */
    public FsmState<P> state() {
        return kit.await(kit.supervisor().state(name), "state of '" + name + "'")
                .orElseThrow(() -> new AssertionError("FSM '" + name + "' is not running"));
    }

    /** Sends {@code event} and asserts that the FSM lands in {@code expectedState}. */
    public FsmState<P> assertTransition(String event, Object eventPayload, String expectedState) {
        return assertTransition(event, eventPayload, expectedState, payload -> true);
    }

    /** Sends {@code event} and asserts the state and the payload reached. */
    public FsmState<P> assertTransition(String event, Object eventPayload, String expectedState, P expectedPayload) {
        FsmState<P> state = assertTransition(event, eventPayload, expectedState, payload -> true);
        if (!Objects.equals(expectedPayload, state.payload())) {
            throw new AssertionError("after '" + event + "' FSM '" + name + "' has payload " + state.payload()
                    + ", expected " + expectedPayload);
        }
        return state;
    }

    /** Sends {@code event} and asserts the state reached and that {@code payloadCheck} holds for the payload. */
    public FsmState<P> assertTransition(String event, Object eventPayload, String expectedState,
                                        Predicate<P> payloadCheck) {
        FsmState<P> state = kit.await(kit.supervisor().transitionAndWait(name, event, eventPayload),
                "transition '" + event + "' of '" + name + "'");
        if (!state.current().equals(expectedState)) {
            throw new AssertionError("after '" + event + "' FSM '" + name + "' is in '" + state.current()
                    + "', expected '" + expectedState + "'");
        }
        if (!payloadCheck.test(state.payload())) {
            throw new AssertionError("after '" + event + "' FSM '" + name + "' has payload " + state.payload()
                    + ", which fails the check");
        }
        return state;
    }

    /** Sends {@code event} and asserts that it is refused; answers why. The FSM must stay where it was. */
    public FsmError assertRefused(String event, Object eventPayload) {
        String before = state().current();
        try {
            FsmState<P> state = kit.supervisor().transitionAndWait(name, event, eventPayload).toCompletableFuture()
                    .get(kit.timeout().toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected '" + event + "' to be refused by FSM '" + name + "' in '" + before
                    + "', but it moved to '" + state.current() + "'");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FsmTransitionException refused) {
                return refused.error();
            }
            throw new AssertionError("'" + event + "' failed in an unexpected way: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("'" + event + "' did not complete: " + e, e);
        }
    }

    /** Waits until the FSM is in {@code expected} (for hard events and timers, which move it by themselves). */
    public FsmState<P> awaitState(String expected) {
        long deadline = System.nanoTime() + kit.timeout().toNanos();
        FsmState<P> state = state();
        while (!state.current().equals(expected)) {
            pollAgain(deadline, state.current(), expected);
            state = state();
        }
        return state;
    }

    /**
     * Waits until the FSM is in {@code expected}, or has finished there: a hard chain may end in a state whose
     * {@code autoTerminate} finishes the FSM at once. Then {@code expected} must be the last state it entered before
     * {@code "*"}, and that state (as entered, with its payload) is the answer.
     */
    private FsmState<P> awaitStateOrEnd(String expected) {
        long deadline = System.nanoTime() + kit.timeout().toNanos();
        java.util.List<FsmState<P>> entered = new java.util.ArrayList<>();
        while (true) {
            kit.settle(name); // an end the state's autoTerminate fires is under way until it settled
            java.util.Optional<FsmState<P>> now = kit.await(kit.supervisor().state(name), "state of '" + name + "'");
            entered.addAll(kit.entered(name));
            if (now.isPresent() && now.get().current().equals(expected)) {
                return now.get();
            }
            if (now.isEmpty()) {
                java.util.List<String> passed = entered.stream().map(FsmState::current).toList();
                int end = passed.lastIndexOf("*");
                if (end > 0 && passed.get(end - 1).equals(expected)) {
                    return entered.get(end - 1);
                }
                throw new AssertionError("FSM '" + name + "' finished without stopping in '" + expected
                        + "'; it passed through " + passed);
            }
            pollAgain(deadline, now.get().current(), expected);
        }
    }

    /** Waits a moment before looking again, or fails: the FSM stayed in {@code current} past the deadline. */
    private void pollAgain(long deadline, String current, String expected) {
        if (System.nanoTime() > deadline) {
            throw new AssertionError("FSM '" + name + "' stayed in '" + current + "', expected '" + expected
                    + "' within " + kit.timeout());
        }
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Walks {@code path} sending no event payloads; see {@link #walk(FsmPath, Function)}. */
    public FsmState<P> walk(FsmPath path) {
        return walk(path, event -> null);
    }

    /**
     * Walks {@code path}: sends each event (with the payload {@code eventPayloads} gives for it) and asserts the
     * state it leads to; hard events are not sent but awaited, since they fire by themselves (a chain of them is
     * awaited at its end). A path whose hard chain ends in a state that finishes the FSM at once ({@code
     * autoTerminate}) is awaited to the end: the answer is then the state it finished from, as it entered it.
     */
    public FsmState<P> walk(FsmPath path, Function<String, Object> eventPayloads) {
        FsmState<P> state = state();
        java.util.List<FsmTransition> steps = path.steps();
        for (int i = 0; i < steps.size(); i++) {
            FsmTransition step = steps.get(i);
            if (step.event().endsWith("!")) {
                // a chain of hard events runs by itself, possibly faster than anyone can look: await its end
                while (i + 1 < steps.size() && steps.get(i + 1).event().endsWith("!")) {
                    i++;
                }
                state = awaitStateOrEnd(steps.get(i).to());
            } else {
                state = assertTransition(step.event(), eventPayloads.apply(step.event()), step.to());
            }
        }
        return state;
    }
}
