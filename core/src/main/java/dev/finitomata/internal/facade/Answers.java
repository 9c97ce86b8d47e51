package dev.finitomata.internal.facade;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.dispatch.ExecutionContexts$;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.util.Failure;
import scala.util.Success;
import scala.util.Try;

/**
 * INTERNAL API. Maps the answer of a Pekko ask to a facade's result without a thread hop.
 *
 * <p>Design: Pekko's javadsl asks answer a {@code CompletionStage} made by Scala's {@code FutureConverters.asJava},
 * whose non-async methods ({@code thenApply}, {@code whenComplete}, ...) all run asynchronously on
 * {@code ForkJoinPool.commonPool()}, so that no callback runs on the thread that completed the ask (the FSM actor's).
 * A facade that maps the answer with {@code thenApply} therefore moved every call's answer to another thread: one more
 * wake-up and context switch per call, twice as many as a hand-written behavior asked the same way (issue 26, point 5;
 * docs/BENCHMARKS.md). Here the facade's own mapping (a reply to a result or an exception, no user code) runs where the
 * answer arrives, and the stage handed to the caller is again one of Scala's: the caller's callbacks still never run
 * on an actor's thread, and a caller that only waits for it ({@code join}, {@code allOf}) pays no hop at all. Failures
 * reach the caller wrapped in a {@code CompletionException}, exactly as the stage of a {@code thenApply} would give
 * them. Thread-safe, stateless.
 */
public final class Answers {

    /** Runs a callback on the thread that completes the future (Scala's {@code ExecutionContext.parasitic}). */
    private static final ExecutionContext PARASITIC = ExecutionContexts$.MODULE$.parasitic();

    private Answers() {
    }

    /**
     * {@code asked} mapped by {@code map}, which runs on the thread that completes {@code asked} (it must be short and
     * must not block); what {@code map} throws fails the answer.
     */
    public static <R, T> CompletionStage<T> map(CompletionStage<R> asked, Function<? super R, ? extends T> map) {
        return map(asked, null, map);
    }

    /** As {@link #map}, running {@code first} (if not null) before it, whether {@code asked} succeeded or failed. */
    public static <R, T> CompletionStage<T> map(CompletionStage<R> asked, Runnable first,
                                                Function<? super R, ? extends T> map) {
        Future<R> answer = FutureConverters.asScala(asked);
        return FutureConverters.asJava(answer.transform((Try<R> reply) -> mapped(reply, first, map),
                PARASITIC));
    }

    private static <R, T> Try<T> mapped(Try<R> reply, Runnable first, Function<? super R, ? extends T> map) {
        try {
            if (first != null) {
                first.run();
            }
            if (reply instanceof Failure<R> failed) {
                return new Failure<>(wrapped(failed.exception()));
            }
            return new Success<>(map.apply(reply.get()));
        } catch (Throwable e) { // as CompletableFuture does with what a stage's function throws
            return new Failure<>(wrapped(e));
        }
    }

    /** As {@code CompletableFuture} hands a failure to a dependent stage. */
    private static Throwable wrapped(Throwable failure) {
        return failure instanceof CompletionException ? failure : new CompletionException(failure);
    }
}
