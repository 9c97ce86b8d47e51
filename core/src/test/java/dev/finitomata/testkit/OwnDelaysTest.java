package dev.finitomata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finitomata.ApplicationFsm;
import dev.finitomata.FsmDetails;
import dev.finitomata.FsmError;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.StartResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Durable delays scheduled from inside the FSM (issue 25, point 5): a transition schedules and cancels its FSM's own
 * delayed events by key, committed with the move; they fire when due (here on virtual time), once, also after a stop
 * and a start (a recovery from the journal), and may fire an internal event.
 */
class OwnDelaysTest {

    private static final Duration THREE_DAYS = Duration.ofDays(3);

    private ActorTestKit testKit;
    private FsmTestKit<Integer> kit;
    private FsmSupervisor<Integer> applications;

    @AfterEach
    void shutdown() {
        testKit.shutdownTestKit();
    }

    private void kit() {
        testKit = ActorTestKit.create("own-delays", ManualTime.config().withFallback(VirtualTimeTest.JOURNAL));
        kit = FsmTestKit.create(testKit, ApplicationFsm.class, ApplicationFsm::new);
        applications = kit.supervisor();
        applications.addListener((name, state, payload) -> {
            if (state.equals("rejected")) {
                rejections.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            }
        });
    }

    private String state(String name) {
        return applications.state(name).toCompletableFuture().join().orElseThrow().current();
    }

    private void send(String name, String event, Object arg) {
        applications.transitionAndWait(name, event, arg).toCompletableFuture().join();
    }

    /** How often each application entered {@code rejected}: only its expiry leads there. */
    private final Map<String, AtomicInteger> rejections = new ConcurrentHashMap<>();

    private long expiries(String name) {
        kit.settle(name);
        return rejections.getOrDefault(name, new AtomicInteger()).get();
    }

    @Test
    void aDelayScheduledByATransitionFiresOnceWhenDue() {
        kit();
        kit.start("a-1", 0);
        long reviewed = kit.now().toEpochMilli();
        send("a-1", "review", THREE_DAYS);
        FsmDetails<Integer> details = applications.details("a-1").toCompletableFuture().join().orElseThrow();
        assertEquals(1, details.delays().size(), details.toString());
        assertEquals("expire", details.delays().get(0).event());
        assertEquals(reviewed + THREE_DAYS.toMillis(), details.delays().get(0).dueAt().toEpochMilli());
        kit.advance(THREE_DAYS.minusMillis(1));
        assertEquals("under_review", state("a-1"));
        kit.advance(Duration.ofMillis(1));
        assertEquals("rejected", state("a-1"));
        kit.advance(THREE_DAYS);
        assertEquals(1, expiries("a-1"));
    }

    @Test
    void aLaterTransitionCancelsItAndTheSameKeySchedulesItAgain() {
        kit();
        kit.start("approved-in-time", 0);
        kit.start("reminded", 0);
        send("approved-in-time", "review", THREE_DAYS);
        send("reminded", "review", THREE_DAYS);
        kit.advance(Duration.ofDays(2));
        send("approved-in-time", "approve", null);
        send("reminded", "remind", THREE_DAYS); // due at day 5 now, not day 3
        assertTrue(applications.details("approved-in-time").toCompletableFuture().join().orElseThrow().delays()
                .isEmpty());
        kit.advance(Duration.ofDays(2));
        assertEquals("approved", state("approved-in-time"));
        assertEquals("under_review", state("reminded"));
        kit.advance(Duration.ofDays(1));
        assertEquals("rejected", state("reminded"));
        assertEquals(1, expiries("reminded"));
        assertEquals(0, expiries("approved-in-time"));
    }

    @Test
    void itSurvivesAStopAndFiresAtOnceOnTheStartAfterItFellDue() {
        kit();
        kit.start("stopped", 0);
        send("stopped", "review", THREE_DAYS);
        applications.stop("stopped").toCompletableFuture().join();
        kit.advance(Duration.ofDays(4));
        assertEquals(StartResult.LOADED, applications.start("stopped", 0).toCompletableFuture().join());
        kit.settle("stopped");
        assertEquals("rejected", state("stopped"));
        assertEquals(1, expiries("stopped"));
    }

    @Test
    void schedulingAnEventTheDefinitionDoesNotHaveRefusesTheMove() {
        kit();
        kit.start("bogus", 0);
        CompletionException e = assertThrows(CompletionException.class,
                () -> send("bogus", "review", "nope"));
        FsmTransitionException refused = (FsmTransitionException) e.getCause();
        assertEquals(FsmError.Stage.ALLOWED, refused.error().stage());
        assertTrue(refused.getMessage().contains("onTransition scheduled 'nope' (key 'review-timeout'), which is not "
                + "an event of the definition"), refused.getMessage());
        assertEquals("submitted", state("bogus"));
    }
}
