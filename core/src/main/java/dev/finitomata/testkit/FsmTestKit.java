package dev.finitomata.testkit;

import dev.finitomata.Finitomata;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmFactory;
import dev.finitomata.StartResult;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.definition.FsmPath;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
 * @param <P> the payload type
 */
public final class FsmTestKit<P> {

    private static final AtomicInteger IDS = new AtomicInteger();

    private final Finitomata<P> supervisor;
    private final Duration timeout;

    private FsmTestKit(Finitomata<P> supervisor, Duration timeout) {
        this.supervisor = supervisor;
        this.timeout = timeout;
    }

    /**
     * A kit running FSMs of {@code type} in {@code testKit}'s ActorSystem, under a fresh supervisor id.
     *
     * @throws NullPointerException if an argument is null
     */
    public static <P> FsmTestKit<P> create(ActorTestKit testKit, Class<? extends FsmBehavior<P>> type,
                                           FsmFactory<P> factory) {
        Objects.requireNonNull(testKit, "testKit");
        String id = "testkit-" + type.getSimpleName() + "-" + IDS.incrementAndGet();
        return new FsmTestKit<>(Finitomata.create(testKit.system(), id, type, factory),
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
     * Starts a fresh FSM and waits until it has entered its entry state.
     *
     * @throws AssertionError if it does not start fresh (it was loaded, already running, or failed)
     */
    public FsmUnderTest<P> start(String name, P payload) {
        StartResult result = await(supervisor.start(name, payload), "start '" + name + "'");
        if (result != StartResult.STARTED) {
            throw new AssertionError("expected FSM '" + name + "' to start fresh, but it was " + result);
        }
        return new FsmUnderTest<>(this, name);
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
