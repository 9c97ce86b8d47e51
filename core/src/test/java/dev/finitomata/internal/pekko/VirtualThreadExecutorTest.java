package dev.finitomata.internal.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The FSM dispatcher's executor, as Pekko builds it from {@code finitomata.dispatcher}. */
class VirtualThreadExecutorTest {

    private static final ActorTestKit KIT = ActorTestKit.create("vt");

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @Test
    void anActorOfTheFsmDispatcherRunsOnAVirtualThreadWithTheSystemsClassLoader() throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        KIT.spawn(Behaviors.setup(ctx -> {
            ran.complete(Thread.currentThread());
            return Behaviors.empty();
        }), "probe", DispatcherSelector.fromConfig("finitomata.dispatcher"));
        Thread thread = ran.get(10, TimeUnit.SECONDS);
        assertTrue(thread.isVirtual());
        assertEquals("finitomata-fsm", thread.getName());
        assertEquals(((org.apache.pekko.actor.ExtendedActorSystem) KIT.system().classicSystem()).dynamicAccess()
                .classLoader(), thread.getContextClassLoader());
    }

    @Test
    void blockedTasksDoNotHoldOthersBack() throws Exception {
        var executor = KIT.system().dispatchers().lookup(DispatcherSelector.fromConfig("finitomata.dispatcher"));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1_000);
        for (int i = 0; i < 1_000; i++) {
            executor.execute(() -> {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertTrue(blocked.await(10, TimeUnit.SECONDS), "1,000 tasks blocked at once on 2 cores");
        release.countDown();
    }

    @Test
    void anUncaughtFailureReachesTheGivenHandlerAndAShutDownExecutorRefusesWork() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CountDownLatch handled = new CountDownLatch(1);
        var lean = new VirtualThreadExecutor.Lean(Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> {
            seen.set(e);
            handled.countDown();
        }).factory(), null);
        lean.execute(() -> {
            throw new IllegalStateException("boom");
        });
        assertTrue(handled.await(10, TimeUnit.SECONDS));
        assertEquals("boom", seen.get().getMessage());
        assertFalse(lean.isShutdown());
        lean.shutdown();
        assertTrue(lean.isShutdown() && lean.isTerminated());
        assertThrows(RejectedExecutionException.class, () -> lean.execute(() -> { }));
    }
}
