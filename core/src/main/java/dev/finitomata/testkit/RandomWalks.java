package dev.finitomata.testkit;

import dev.finitomata.FsmError;
import dev.finitomata.FsmNotFoundException;
import dev.finitomata.FsmState;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Property-style testing of an FSM: random walks of events drawn from its definition, with invariants checked in
 * every state reached, and a failing walk shrunk to the shortest sequence that still fails the same way.
 *
 * <pre>{@code
 * RandomWalks.Summary summary = kit.randomWalks(name -> new Order(name, 100))
 *         .seed(42)
 *         .eventPayloads((state, event, random) -> random.nextInt(3))
 *         .invariant("a paid order costs something", fsm -> !fsm.current().equals("paid")
 *                 || fsm.payload().amountCents() > 0)
 *         .run();
 * }</pre>
 *
 * <p>A walk starts a fresh FSM and then, for up to {@link #maxSteps} steps, picks one of the events its current
 * state responds to (hard events are left out: they fire by themselves; so are internal events, which only the FSM's
 * timer fires, and those {@link #excludeEvents excluded}), sends it with a payload from
 * {@link #eventPayloads}, waits until the FSM has settled, and checks every invariant. With {@link #timeSteps} on
 * virtual time a step may instead let time pass, so that timers and delayed transitions take part. A walk ends at
 * its last step or when the FSM finishes; the FSM is deleted afterwards.
 *
 * <p>A walk fails when an invariant is false or throws, or when the FSM reports an error that only a bug causes: a
 * callback that threw ({@code onTransition}, {@code onExit}, {@code onEnter}, {@code onTimer}, a listener,
 * {@code onTerminate}), a target the definition does not allow, or a payload that cannot be journaled. A refused
 * event ({@code Transition.fail}) is a normal outcome, not a failure.
 *
 * <p>Everything random comes from the seed: the same seed, definition and callbacks give the same walks. The seed is
 * random unless set, here or with the system property {@code finitomata.seed}, and every failure names it. Not
 * thread-safe: one test thread builds and runs it.
 *
 * @param <P> the payload type
 */
public final class RandomWalks<P> {

    /** Makes the payload of an event sent in a state; draw anything random from {@code random}. */
    @FunctionalInterface
    public interface EventPayloads {
        Object next(String state, String event, Random random);
    }

    /**
     * What the walks did, for asserting coverage: how many walks and steps, and which states were reached and which
     * events were sent (sorted).
     */
    public record Summary(long seed, int walks, int steps, Set<String> statesReached, Set<String> eventsSent) {
    }

    /** One step of a walk: an event with its payload, or time passing ({@code advance} non-null). */
    private record Step(String event, Object eventPayload, Duration advance) {
        @Override
        public String toString() {
            return advance != null ? "time passes " + advance
                    : event + (eventPayload == null ? "" : " (" + eventPayload + ")");
        }
    }

    /** Why a walk failed: {@code kind} tells failures apart while shrinking, {@code detail} is for the reader. */
    private record Failure(String kind, String detail, int steps) {
    }

    /** Stages whose errors only a bug causes (TRANSITION counts when onTransition threw). */
    private static final Set<FsmError.Stage> BUGS = EnumSet.of(FsmError.Stage.EXIT, FsmError.Stage.ALLOWED,
            FsmError.Stage.PERSIST, FsmError.Stage.ENTER, FsmError.Stage.TIMER, FsmError.Stage.LISTENER,
            FsmError.Stage.TERMINATE);

    private final FsmTestKit<P> kit;
    private final Function<String, P> startPayloads;
    private final Map<String, Predicate<FsmState<P>>> invariants = new LinkedHashMap<>();
    private long seed;
    private int walks = 100;
    private int maxSteps = 25;
    private EventPayloads eventPayloads = (state, event, random) -> null;
    private List<Duration> timeSteps = List.of();
    private int names;
    private final Set<String> excluded = new java.util.HashSet<>();

    RandomWalks(FsmTestKit<P> kit, Function<String, P> startPayloads) {
        this.kit = kit;
        this.startPayloads = Objects.requireNonNull(startPayloads, "startPayloads");
        String property = System.getProperty("finitomata.seed");
        this.seed = property != null ? Long.parseLong(property.strip()) : new Random().nextLong();
    }

    /** Sets the seed, to reproduce a failure (its message names the seed). */
    public RandomWalks<P> seed(long value) {
        this.seed = value;
        return this;
    }

    /** How many walks to run [100]. */
    public RandomWalks<P> walks(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("walks must be at least 1, was " + count);
        }
        this.walks = count;
        return this;
    }

    /** The most steps a walk takes [25]. */
    public RandomWalks<P> maxSteps(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1, was " + steps);
        }
        this.maxSteps = steps;
        return this;
    }

    /** Where event payloads come from [always null]. */
    public RandomWalks<P> eventPayloads(EventPayloads generator) {
        this.eventPayloads = Objects.requireNonNull(generator, "generator");
        return this;
    }

    /**
     * Lets a step be time passing, by one of {@code durations} (virtual time only): about one step in four then
     * advances time instead of sending an event.
     *
     * @throws IllegalStateException if the kit is not on virtual time
     */
    public RandomWalks<P> timeSteps(Duration... durations) {
        if (!kit.virtualTime()) {
            throw new IllegalStateException("time steps need virtual time: " + FsmTestKit.HOW_TO_VIRTUAL_TIME);
        }
        this.timeSteps = List.of(durations);
        return this;
    }

    /**
     * Never sends these events (hard events are never sent anyway): for events a walk should not take, such as
     * those only the FSM's own timers or an operator send. Adds to those excluded before.
     */
    public RandomWalks<P> excludeEvents(String... events) {
        for (String event : events) {
            excluded.add(Objects.requireNonNull(event, "event"));
        }
        return this;
    }

    /**
     * Adds an invariant, checked in every state the FSM enters: the entry state, each state after a step, the
     * states a chain of hard events passes through, and the last state before the FSM finishes. Intermediate and
     * last states are checked with the state and payload they were entered with (no history, no last error).
     * {@code holds} may return false or throw (an {@code AssertionError} of JUnit's, say); both fail the walk.
     */
    public RandomWalks<P> invariant(String description, Predicate<FsmState<P>> holds) {
        invariants.put(Objects.requireNonNull(description, "description"), Objects.requireNonNull(holds, "holds"));
        return this;
    }

    /**
     * Runs the walks.
     *
     * @return what they covered
     * @throws AssertionError naming the seed and the shortest failing sequence of steps, if a walk fails
     */
    public Summary run() {
        FsmDefinition definition = kit.definition();
        if (definition == null) {
            throw new IllegalStateException("the kit does not know the FSM's definition yet: start one FSM first");
        }
        Set<String> states = new TreeSet<>();
        Set<String> events = new TreeSet<>();
        int steps = 0;
        for (int walk = 0; walk < walks; walk++) {
            Random random = new Random(seed * 31 + walk);
            List<Step> taken = new ArrayList<>();
            Failure failure = walk(definition, random, taken, states, events);
            steps += taken.size();
            if (failure != null) {
                List<Step> shortest = shrink(taken.subList(0, failure.steps()), failure);
                Failure last = replay(shortest);
                throw new AssertionError(report(walk, taken.size(), shortest, last == null ? failure : last));
            }
        }
        return new Summary(seed, walks, steps, states, events);
    }

    /** One random walk: the steps it took go to {@code taken}; answers its failure, or null. */
    private Failure walk(FsmDefinition definition, Random random, List<Step> taken, Set<String> states,
                         Set<String> events) {
        String name = nextName("walk");
        kit.entered(name);
        kit.start(name, startPayloads.apply(name));
        try {
            Observed<P> seen = observe(name, 0, states);
            Failure failure = seen.failure();
            while (failure == null && seen.now().isPresent() && taken.size() < maxSteps) {
                Step step = choose(definition, seen.now().get().current(), random);
                if (step == null) {
                    break; // nothing to send here but hard events, which did not fire: nothing more to walk
                }
                taken.add(step);
                if (step.event() != null) {
                    events.add(step.event());
                }
                failure = take(name, step, taken.size());
                if (failure == null) {
                    seen = observe(name, taken.size(), states);
                    failure = seen.failure();
                }
            }
            return failure;
        } finally {
            delete(name);
        }
    }

    /** What a walk saw after a step: the FSM now (empty once it finished), and the first failure, or null. */
    private record Observed<P>(Optional<FsmState<P>> now, Failure failure) {
    }

    /**
     * Checks the invariants in every state the FSM entered since the last look (those a hard chain passed through,
     * and the last one before it finished, with the payload it entered them with), then in its state now (with its
     * last error), reached after {@code index} steps; every state entered counts as reached.
     */
    private Observed<P> observe(String name, int index, Set<String> states) {
        Failure failure = null;
        for (FsmState<P> entered : kit.entered(name)) {
            if (!entered.current().equals("*")) {
                states.add(entered.current());
                if (failure == null) {
                    failure = checkInvariants(entered, index);
                }
            }
        }
        Optional<FsmState<P>> now = current(name);
        now.ifPresent(s -> states.add(s.current()));
        if (failure == null && now.isPresent()) {
            failure = check(now.get(), index);
        }
        return new Observed<>(now, failure);
    }

    private Step choose(FsmDefinition definition, String state, Random random) {
        List<String> choices = new ArrayList<>();
        for (String event : new TreeSet<>(definition.eventsFrom(state))) {
            if (!definition.hardEvents().contains(event) && !excluded.contains(event)
                    && !kit.internalEvents().contains(event)) {
                choices.add(event);
            }
        }
        if (!timeSteps.isEmpty() && (choices.isEmpty() || random.nextInt(4) == 0)) {
            return new Step(null, null, timeSteps.get(random.nextInt(timeSteps.size())));
        }
        if (choices.isEmpty()) {
            return null;
        }
        String event = choices.get(random.nextInt(choices.size()));
        return new Step(event, eventPayloads.next(state, event, random), null);
    }

    /** Takes one step on the FSM {@code name}; answers a failure that only a bug causes, or null. */
    private Failure take(String name, Step step, int index) {
        if (step.advance() != null) {
            kit.advance(step.advance());
            return null;
        }
        try {
            kit.supervisor().transitionAndWait(name, step.event(), step.eventPayload()).toCompletableFuture()
                    .get(kit.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof FsmTransitionException refused) {
                Failure bug = bug(refused.error(), index);
                if (bug != null) {
                    return bug;
                }
            } else if (!(e.getCause() instanceof FsmNotFoundException)) {
                return new Failure("failure " + e.getCause().getClass().getName(), "'" + step.event()
                        + "' failed: " + e.getCause(), index);
            }
        } catch (Exception e) {
            return new Failure("no answer", "'" + step.event() + "' was not answered within " + kit.timeout()
                    + ": " + e, index);
        }
        kit.settle(name);
        return null;
    }

    private static Failure bug(FsmError error, int index) {
        boolean threw = error.stage() == FsmError.Stage.TRANSITION && error.reason().startsWith("onTransition threw");
        if (!BUGS.contains(error.stage()) && !threw) {
            return null;
        }
        return new Failure("error " + error.stage() + (threw ? " (threw)" : ""), "the FSM reported an error that "
                + "only a bug causes, stage " + error.stage() + " in '" + error.state() + "' on '" + error.event()
                + "': " + error.reason(), index);
    }

    /** Checks the invariants and the FSM's last error in {@code state}, reached after {@code index} steps. */
    private Failure check(FsmState<P> state, int index) {
        Failure error = state.lastError().map(e -> bug(e, index)).orElse(null);
        return error != null ? error : checkInvariants(state, index);
    }

    private Failure checkInvariants(FsmState<P> state, int index) {
        for (Map.Entry<String, Predicate<FsmState<P>>> invariant : invariants.entrySet()) {
            String broken;
            try {
                broken = invariant.getValue().test(state) ? null : "is false";
            } catch (Throwable e) {
                broken = "threw " + e;
            }
            if (broken != null) {
                return new Failure("invariant " + invariant.getKey(), "invariant '" + invariant.getKey() + "' "
                        + broken + " in state '" + state.current() + "' with payload " + state.payload(), index);
            }
        }
        return null;
    }

    /**
     * Removes steps while the walk still fails the same way: chunks of half the steps first, down to single steps
     * (delta debugging), each try a replay on a fresh FSM.
     */
    private List<Step> shrink(List<Step> failing, Failure failure) {
        List<Step> shortest = new ArrayList<>(failing);
        boolean shrunk = true;
        while (shrunk) { // until no chunk of any size can go
            shrunk = false;
            for (int chunk = Math.max(1, shortest.size() / 2); chunk >= 1; chunk = chunk == 1 ? 0 : chunk / 2) {
                for (int from = 0; from + chunk <= shortest.size(); from++) {
                    List<Step> candidate = new ArrayList<>(shortest.subList(0, from));
                    candidate.addAll(shortest.subList(from + chunk, shortest.size()));
                    Failure again = replay(candidate);
                    if (again != null && again.kind().equals(failure.kind())) {
                        shortest = new ArrayList<>(candidate.subList(0, again.steps()));
                        shrunk = true;
                        from--; // the same place again, on the shorter sequence
                    }
                }
            }
        }
        return shortest;
    }

    /** Replays {@code steps} on a fresh FSM; answers the first failure, or null. */
    private Failure replay(List<Step> steps) {
        String name = nextName("shrink");
        kit.entered(name);
        kit.start(name, startPayloads.apply(name));
        try {
            Set<String> states = new TreeSet<>();
            Observed<P> seen = observe(name, 0, states);
            Failure failure = seen.failure();
            for (int i = 0; failure == null && seen.now().isPresent() && i < steps.size(); i++) {
                failure = take(name, steps.get(i), i + 1);
                if (failure == null) {
                    seen = observe(name, i + 1, states);
                    failure = seen.failure();
                }
            }
            return failure;
        } finally {
            delete(name);
        }
    }

    private String report(int walk, int length, List<Step> shortest, Failure failure) {
        StringBuilder text = new StringBuilder("random walk ").append(walk + 1).append(" of ").append(walks)
                .append(" failed (seed ").append(seed).append("): ").append(failure.detail()).append('\n')
                .append("shortest failing sequence: ").append(shortest.size()).append(" step")
                .append(shortest.size() == 1 ? "" : "s").append(" (shrunk from ").append(length).append(")");
        for (int i = 0; i < shortest.size(); i++) {
            text.append("\n  ").append(i + 1).append(". ").append(shortest.get(i));
        }
        return text.append("\nre-run it with .seed(").append(seed).append(") or -Dfinitomata.seed=").append(seed)
                .toString();
    }

    private Optional<FsmState<P>> current(String name) {
        return kit.await(kit.supervisor().state(name), "state of '" + name + "'");
    }

    private void delete(String name) {
        kit.await(kit.supervisor().delete(name), "deleting '" + name + "'");
    }

    private String nextName(String what) {
        return what + "-" + Long.toHexString(seed) + "-" + (++names);
    }
}
