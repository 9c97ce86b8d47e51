package dev.finitomata.samples;

import dev.finitomata.FsmState;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.StartResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Plays the customer and the warehouse for one order: start (or reload) it, then send the event its state calls
 * for until it rests in a final state or waits for its timer or delayed transition. Each step goes to whichever node
 * {@code anyNode} picks, and a step that fails because its node went away is retried from the order's state.
 */
final class OrderDriver {

    private static final Duration RETRY_AFTER = Duration.ofMillis(300);
    /** Bound on every call, kept by the JDK: a call made through a node that crashes meanwhile never answers. */
    private static final long CALL_TIMEOUT_SECONDS = 5;
    private static final Duration CONFIRM_AFTER = Duration.ofMillis(800);

    /** What the driver tells of its progress. */
    interface Observer {
        /** The order was already there (a previous run, or restored by the cluster). */
        void restored(String name);

        /** A transition was made. */
        void moved();

        /** A payment was declined (and {@code onFailure} ran). */
        void declined();
    }

    private final Supplier<FsmSupervisor<Order>> anyNode;
    private final Observer observer;

    OrderDriver(Supplier<FsmSupervisor<Order>> anyNode, Observer observer) {
        this.anyNode = anyNode;
        this.observer = observer;
    }

    CompletionStage<String> drive(Order order) {
        return bounded(anyNode.get().start(order.id(), order))
                .thenCompose(result -> {
                    if (result != StartResult.STARTED) {
                        observer.restored(order.id()); // restored by the cluster (ALREADY_STARTED) or loaded
                    }
                    return bounded(anyNode.get().state(order.id()));
                })
                .thenCompose(state -> step(order.id(), state.map(FsmState::current).orElse("created"), 1))
                .exceptionallyCompose(e -> retry(order));
    }

    private CompletionStage<String> retry(Order order) {
        return CompletableFuture.supplyAsync(() -> null,
                CompletableFuture.delayedExecutor(RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(x -> drive(order));
    }

    private CompletionStage<String> step(String name, String state, int attempt) {
        return switch (state) {
            case "created" -> send(name, "checkout", null);
            case "awaiting_payment" -> willPay(name)
                    ? send(name, "pay", attempt).exceptionallyCompose(e -> declined(e) && attempt < 3
                            ? declinedOnce(name, attempt) : CompletableFuture.failedFuture(e))
                    : CompletableFuture.completedFuture(state); // the timer will cancel it
            case "paid" -> send(name, "ship", null); // waits until 'pack!' fired by itself, then ships
            case "packed" -> send(name, "ship", null);
            case "shipped" -> send(name, "deliver?", attempt).exceptionallyCompose(e -> declined(e) && attempt < 3
                    ? step(name, "shipped", attempt + 1) : CompletableFuture.failedFuture(e));
            case "delivered" -> {
                // a durable delayed event; fire-and-forget, so a schedule sent through a node that crashes before
                // persisting it is lost: check later and schedule again if needed
                anyNode.get().transition(name, "confirm", null, CONFIRM_AFTER);
                yield CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                                CONFIRM_AFTER.toMillis() + 2_000, TimeUnit.MILLISECONDS))
                        .thenCompose(x -> bounded(anyNode.get().state(name)))
                        .thenCompose(s -> step(name, s.map(FsmState::current).orElse("created"), 1));
            }
            default -> CompletableFuture.completedFuture(state);
        };
    }

    private CompletionStage<String> declinedOnce(String name, int attempt) {
        observer.declined();
        return step(name, "awaiting_payment", attempt + 1);
    }

    private CompletionStage<String> send(String name, String event, Object arg) {
        return bounded(anyNode.get().transitionAndWait(name, event, arg))
                .thenCompose(state -> {
                    observer.moved();
                    return step(name, state.current(), 1);
                });
    }

    private static <T> CompletableFuture<T> bounded(CompletionStage<T> call) {
        return call.toCompletableFuture().orTimeout(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static boolean declined(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof FsmTransitionException;
    }

    private static boolean willPay(String name) {
        return Math.floorMod(name.hashCode(), 10) != 7;
    }
}
