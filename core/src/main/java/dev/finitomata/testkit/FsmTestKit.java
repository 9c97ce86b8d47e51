package dev.finitomata.testkit;

import dev.finitomata.Finitomata;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmFactory;
import dev.finitomata.FsmState;
import dev.finitomata.Lifecycle;
import dev.finitomata.StartResult;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.definition.FsmPath;
import dev.finitomata.internal.local.LocalFsms;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * Makes testing an FSM a few lines, on top of Pekko's {@link ActorTestKit} (which chooses the journal through its
 * configuration). Each kit runs its own {@link Finitomata}; failures are reported as {@link AssertionError}s that
 * say what was expected and what happened.
 *
 * <pre>{@code
 * FsmTestKit<Order> kit = FsmTestKit.create(testKit, OrderFsm.class, OrderFsm::new);
 * FsmUnderTest<Order> order = kit.start("o-1", new Order(...));
 * order.assertTransition("pay", 100, "paid");
 * order.assertRefused("ship", null);
 * for (FsmPath path : FsmTestKit.paths(OrderFsm.DEFINITION)) { kit.start(...).walk(path); }
 * }</pre>
 *
 * <p><b>Virtual time.</b> On an ActorTestKit created with Pekko's {@code ManualTime.config()}, the FSMs' timers,
 * their delayed transitions and the clock they read ({@code FsmContext.clock()}) all stand still until
 * {@link #advance(Duration)} moves them: a 30-day delay is tested in milliseconds. Elsewhere time is real, and
 * {@code advance} refuses to run. On virtual time FSMs do not passivate ({@code finitomata.passivate-idle-after} is
 * not applied), which no test can tell: passivation is invisible by contract.
 *
 * <p>Every method blocks the calling thread (the test's) until its answer, at most three times the ActorTestKit's
 * timeout; the kit is meant for one test thread.
 *
 * @param <P> the payload type
 */
public final class FsmTestKit<P> {

    private static final AtomicInteger IDS = new AtomicInteger();
    /** How to get virtual time, with the JUnit extension or without. */
    static final String HOW_TO_VIRTUAL_TIME = "with the JUnit extension, use FsmTestKitExtension.create()"
            + ".virtualTime() (or @FsmTestKitSettings(virtualTime = true)); without it, create the ActorTestKit "
            + "with ManualTime.config().withFallback(yourConfig)";

    private final ActorTestKit testKit;
    private final Finitomata<P> supervisor;
    private final Duration timeout;
    /** Null when the ActorTestKit runs on the wall clock. */
    private final VirtualTime time;

    /**
     * The states each FSM entered (with the payload it entered them with), as the supervisor's listener saw them,
     * until {@link #entered} takes them: the states a hard chain passes through and the last one before an FSM
     * finishes, which asking the FSM afterwards cannot show.
     */
    private final Map<String, List<FsmState<P>>> entered =
            new ConcurrentHashMap<>();

    private FsmTestKit(ActorTestKit testKit, Finitomata<P> supervisor, Duration timeout) {
        this.testKit = testKit;
        this.supervisor = supervisor;
        this.timeout = timeout;
        this.time = VirtualTime.of(testKit.system());
        supervisor.addListener((name, state, payload) -> entered.computeIfAbsent(name,
                n -> Collections.synchronizedList(new ArrayList<>()))
                .add(new FsmState<>(name, state, payload, List.of(), Optional.empty(), Lifecycle.CREATED)));
    }

    /**
     * Takes the states the FSM {@code name} entered since the last call, oldest first ({@code "*"} when it
     * finished). Each has the state and the payload it was entered with (no history, no error).
     */
    List<FsmState<P>> entered(String name) {
        List<FsmState<P>> states = entered.remove(name);
        if (states == null) {
            return List.of();
        }
        synchronized (states) {
            return List.copyOf(states);
        }
    }

    /**
     * A kit running FSMs of {@code type} in {@code testKit}'s ActorSystem, under a fresh supervisor id. It runs on
     * virtual time when {@code testKit} was created with {@code ManualTime.config()}.
     *
     * @throws NullPointerException  if an argument is null
     * @throws IllegalStateException if no journal is configured (see {@link Finitomata#create})
     */
    public static <P> FsmTestKit<P> create(ActorTestKit testKit, Class<? extends FsmBehavior<P>> type,
                                           FsmFactory<P> factory) {
        return create(testKit, "testkit-" + type.getSimpleName() + "-" + IDS.incrementAndGet(), type, factory);
    }

    /**
     * A kit whose supervisor has the id {@code id}: FSMs are journaled under it, so a kit with the same id in a new
     * ActorSystem on the same journal finds them again (a restart).
     *
     * @throws IllegalStateException if a supervisor {@code id} already runs in {@code testKit}'s ActorSystem, or no
     *                               journal is configured
     * @see Finitomata#create
     */
    public static <P> FsmTestKit<P> create(ActorTestKit testKit, String id, Class<? extends FsmBehavior<P>> type,
                                           FsmFactory<P> factory) {
        Objects.requireNonNull(testKit, "testKit");
        return new FsmTestKit<>(testKit, Finitomata.create(testKit.system(), id, type, factory),
                Duration.ofMillis(testKit.timeout().duration().toMillis()).multipliedBy(3));
    }

    /** Every simple path from the entry state to a final state (at most 1,000), shortest first. */
    public static List<FsmPath> paths(FsmDefinition definition) {
        return definition.paths(1_000);
    }

    /** The supervisor the kit's FSMs run under, for anything the kit does not wrap. */
    public Finitomata<P> supervisor() {
        return supervisor;
    }

    /**
     * Starts a fresh FSM and waits until it has entered its entry state and settled (a hard event there has fired).
     *
     * @throws AssertionError if it does not start fresh (it was loaded, already running, or failed)
     */
    public FsmUnderTest<P> start(String name, P payload) {
        StartResult result = await(supervisor.start(name, payload), "start '" + name + "'");
        if (result != StartResult.STARTED) {
            throw new AssertionError("expected FSM '" + name + "' to start fresh, but it was " + result);
        }
        settle(name);
        return new FsmUnderTest<>(this, name);
    }

    /**
     * Starts a fresh FSM placed straight in {@code state}, for tests only: it is persisted in that state with
     * {@code payload} as given, and its {@code lifecycle()} is {@code PLACED}. Neither {@code onStart} nor
     * {@code onEnter} runs, and no entry transition is made; the state's timer is armed and its hard event, if it
     * has one, fires as it would on entering. Then waits until the FSM has settled.
     *
     * @throws IllegalArgumentException if the definition has no state {@code state}
     * @throws AssertionError           if the FSM is not placed fresh (a persisted or running FSM of that name
     *                                  exists), or the start fails (the payload cannot be journaled, or the
     *                                  journal fails)
     */
    public FsmUnderTest<P> startIn(String name, String state, P payload) {
        Objects.requireNonNull(state, "state");
        FsmDefinition definition = definition();
        if (definition != null && !definition.states().contains(state)) {
            throw new IllegalArgumentException("cannot start FSM '" + name + "' in '" + state + "': the definition of "
                    + supervisor + " has no such state; its states are " + definition.states());
        }
        StartResult result = await(LocalFsms.of(supervisor).startIn(name, state, payload),
                "start of '" + name + "' in '" + state + "'");
        if (result != StartResult.STARTED) {
            throw new AssertionError("expected FSM '" + name + "' to be placed fresh in '" + state + "', but it was "
                    + result + ": an FSM of that name is persisted or running; delete it, or use another name");
        }
        settle(name);
        return new FsmUnderTest<>(this, name);
    }

    /** The definition of the kit's FSM type (null only if no FSM could be built to read it yet). */
    public FsmDefinition definition() {
        return LocalFsms.of(supervisor).definition();
    }

    /** The FSM type's internal events ({@code FsmBehavior.internalEvents()}), which random walks never send. */
    java.util.Set<String> internalEvents() {
        return LocalFsms.of(supervisor).internalEvents();
    }

    /** The ActorTestKit the kit runs in. */
    public ActorTestKit testKit() {
        return testKit;
    }

    // ---- time ----

    /** Whether the kit runs on virtual time (its ActorTestKit was created with {@code ManualTime.config()}). */
    public boolean virtualTime() {
        return time != null;
    }

    /** The time the FSMs read from {@code FsmContext.clock()}: virtual, or the wall clock's. */
    public Instant now() {
        return LocalFsms.of(supervisor).clock().instant();
    }

    /**
     * Moves virtual time forward by {@code duration} and fires, in the order they fall due, every timer tick and
     * delayed transition (and any other task of the ActorSystem's scheduler) due by then. Before each step every
     * FSM of the kit settles: what a tick or a delayed transition starts (its journal write, the hard events after
     * it, the timer it re-arms) is done before time moves on, so a run is deterministic. Returns when time has
     * reached its goal and every FSM has settled.
     *
     * <p>Runs on the calling thread, which is where the scheduler's tasks run too.
     *
     * @throws IllegalStateException    if the kit is not on virtual time: create the ActorTestKit with
     *                                  {@code ManualTime.config()} first in its configuration
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws AssertionError           if an FSM does not settle within the kit's timeout (a callback that blocks)
     */
    public FsmTestKit<P> advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot advance time by a negative duration: " + duration);
        }
        if (time == null) {
            throw new IllegalStateException("advance needs virtual time, and " + supervisor + " runs on the wall "
                    + "clock: " + HOW_TO_VIRTUAL_TIME);
        }
        long goal = time.now() + duration.toMillis();
        settle();
        for (OptionalLong next = time.nextTimerDue(); next.isPresent() && next.getAsLong() <= goal;
             next = time.nextTimerDue()) {
            time.runTo(next.getAsLong());
            settle();
        }
        time.moveTo(goal);
        return this;
    }

    /**
     * Waits until every running FSM of the kit has nothing under way: no journal write in flight, no hard event or
     * due delayed transition pending, and nothing it sent itself left in its mailbox; and then until the durable
     * wake index has no write in flight (what an FSM that stopped or ended left it to forget).
     *
     * @throws AssertionError if that takes longer than the kit's timeout
     */
    public void settle() {
        List<String> names = new ArrayList<>(await(supervisor.all(), "names of the running FSMs").keySet());
        List<CompletableFuture<?>> settled = new ArrayList<>(names.size());
        for (String name : names) {
            settled.add(LocalFsms.of(supervisor).settle(name).toCompletableFuture());
        }
        await(CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new)), "settling of " + names);
        await(LocalFsms.of(supervisor).settleWakeIndex(), "the wake index's writes");
    }

    /** Waits until the FSM {@code name} has nothing under way (at once if it does not run). */
    void settle(String name) {
        await(LocalFsms.of(supervisor).settle(name), "settling of '" + name + "'");
    }

    /**
     * Random walks of events over the kit's FSM, with invariants and shrinking: see {@link RandomWalks}.
     *
     * @param startPayloads the start payload of each walk's FSM, given its name
     */
    public RandomWalks<P> randomWalks(Function<String, P> startPayloads) {
        return new RandomWalks<>(this, startPayloads);
    }

    /** Attaches to an FSM that is already running. */
    public FsmUnderTest<P> attach(String name) {
        return new FsmUnderTest<>(this, name);
    }

    Duration timeout() {
        return timeout;
    }

    <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + " was interrupted", e);
        }
    }
}
