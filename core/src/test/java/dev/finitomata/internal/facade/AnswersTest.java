package dev.finitomata.internal.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import scala.concurrent.Promise;
import scala.jdk.javaapi.FutureConverters;

/**
 * A facade maps an FSM's reply where it arrives, with no thread hop, while the caller's own callbacks still never run
 * on the answering thread (an FSM's); failures reach the caller as a {@code thenApply} would hand them on.
 */
class AnswersTest {

    /** What Pekko's javadsl ask answers: Scala's conversion of a future, completed later by {@code complete}. */
    private static <T> CompletionStage<T> asked(Promise<T> promise) {
        return FutureConverters.asJava(promise.future());
    }

    /** Runs {@code complete} on a thread named "fsm" (standing for the FSM's), and waits for it. */
    private static void completeOnFsmThread(Runnable complete) throws InterruptedException {
        Thread fsm = Thread.ofVirtual().name("fsm").start(complete);
        fsm.join();
    }

    @Test
    void theMappingRunsWhereTheReplyArrivesAndTheCallersCallbacksDoNot() throws Exception {
        Promise<String> reply = Promise.apply();
        List<String> threads = new CopyOnWriteArrayList<>();
        CompletionStage<Integer> answer = Answers.map(asked(reply), r -> {
            threads.add("map:" + Thread.currentThread().getName());
            return r.length();
        });
        CompletableFuture<String> callersCallback = answer.thenApply(n -> Thread.currentThread().getName())
                .toCompletableFuture();
        completeOnFsmThread(() -> reply.success("four"));
        assertEquals(List.of("map:fsm"), threads, "mapped on the thread that completed the ask");
        assertEquals(4, answer.toCompletableFuture().get(5, TimeUnit.SECONDS));
        String callbackThread = callersCallback.get(5, TimeUnit.SECONDS);
        assertNotEquals("fsm", callbackThread, "a caller's callback must not run on the FSM's thread");
    }

    @Test
    void failuresReachTheCallerAsAThenApplyWouldHandThemOn() throws Exception {
        IllegalStateException refused = new IllegalStateException("refused");
        Promise<String> failedAsk = Promise.apply();
        CompletionStage<Integer> failed = Answers.map(asked(failedAsk), String::length);
        CompletionStage<Integer> thrown = Answers.map(CompletableFuture.completedFuture("x"), r -> {
            throw refused;
        });
        completeOnFsmThread(() -> failedAsk.failure(refused));
        for (CompletionStage<Integer> stage : List.of(failed, thrown)) {
            Throwable seen = stage.handle((v, e) -> e).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertInstanceOf(CompletionException.class, seen);
            assertSame(refused, seen.getCause());
            ExecutionException got = assertThrows(ExecutionException.class,
                    () -> stage.toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertSame(refused, got.getCause());
            CompletionException joined = assertThrows(CompletionException.class, () -> stage.toCompletableFuture()
                    .join());
            assertSame(refused, joined.getCause());
        }
    }

    @Test
    void whatRunsFirstRunsOnSuccessAndOnFailureBeforeTheCallerHears() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CompletionStage<String> ok = Answers.map(CompletableFuture.completedFuture("ok"), () -> order.add("first"),
                r -> {
                    order.add("map");
                    return r;
                });
        assertEquals("ok", ok.thenApply(r -> {
            order.add("caller");
            return r;
        }).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(List.of("first", "map", "caller"), order);
        order.clear();
        CompletionStage<String> failed = Answers.map(CompletableFuture.<String>failedFuture(
                new IllegalStateException()), () -> order.add("first"), r -> r);
        assertTrue(failed.toCompletableFuture().handle((r, e) -> e != null).get(5, TimeUnit.SECONDS));
        assertEquals(List.of("first"), order);
    }
}
