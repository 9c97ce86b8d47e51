package dev.finitomata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmDetails;
import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.FsmState;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.Retry;
import dev.finitomata.ShipmentFsm;
import dev.finitomata.StartResult;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retried hard events (issue 25, point 2), on virtual time and a journal that serialises every event: each failed
 * attempt runs {@code onFailure} and schedules the next after the backoff, with its number in the event payload; the
 * next attempt is journaled, so it survives a stop and a start and is not duplicated by the recovery; when the attempts
 * run out the FSM moves to the fallback or stays; the history shows each retried failure.
 */
class HardRetriesTest {

    private ActorTestKit testKit;
    private FsmTestKit<Integer> kit;
    private FsmSupervisor<Integer> orders;

    @BeforeEach
    void kit() {
        testKit = ActorTestKit.create("hard-retries", ManualTime.config()
                .withFallback(PersistenceTestKitPlugin.config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.parseString("""
                        pekko.persistence.testkit.events.serialize = on
                        pekko.loglevel = ERROR
                        """))
                .withFallback(ConfigFactory.load()));
        kit = FsmTestKit.create(testKit, ShipmentFsm.class, ShipmentFsm::new);
        orders = kit.supervisor();
    }

    @AfterEach
    void shutdown() {
        testKit.shutdownTestKit();
    }

    private FsmState<Integer> state(String name) {
        kit.settle(name);
        return orders.state(name).toCompletableFuture().join().orElseThrow();
    }

    private void paid(String name, int failures) {
        ShipmentFsm.failNext(name, failures);
        kit.start(name, 0);
        orders.transitionAndWait(name, "pay", null).toCompletableFuture().join();
        kit.settle(name);
    }

    private List<Integer> numbers(String name) {
        return ShipmentFsm.attempts(name).stream().map(Retry.Attempt::number).toList();
    }

    @Test
    void aFailedHardEventIsRetriedAfterTheBackoffWithItsAttemptNumber() {
        Instant start = kit.now();
        paid("o-1", 2);
        assertEquals(List.of(1), numbers("o-1"));
        assertEquals(new Retry.Attempt(1, 4, null, null), ShipmentFsm.attempts("o-1").get(0));
        FsmDetails<Integer> details = orders.details("o-1").toCompletableFuture().join().orElseThrow();
        assertEquals(1, details.delays().size(), details.toString());
        assertEquals("ship!", details.delays().get(0).event());
        assertEquals(2, ((Retry.Attempt) details.delays().get(0).eventPayload()).number());
        assertEquals(start.plusSeconds(1), details.delays().get(0).dueAt());
        FsmState<Integer> waiting = state("o-1");
        assertEquals("paid", waiting.current());
        assertTrue(waiting.lastError().orElseThrow().reason().contains("the carrier is down; attempt 1 of 4, "
                + "retried in 1000 ms"), waiting.lastError().toString());

        kit.advance(Duration.ofMillis(999));
        assertEquals(List.of(1), numbers("o-1"));
        kit.advance(Duration.ofMillis(1));
        assertEquals(List.of(1, 2), numbers("o-1"));
        Retry.Attempt second = ShipmentFsm.attempts("o-1").get(1);
        assertTrue(second.lastFailure().contains("the carrier is down"), second.toString());
        assertEquals(start, second.lastFailedAt());
        kit.advance(Duration.ofMillis(1_999)); // the wait doubles
        assertEquals(List.of(1, 2), numbers("o-1"));
        kit.advance(Duration.ofMillis(1));
        assertEquals(List.of(1, 2, 3), numbers("o-1"));

        FsmState<Integer> shipped = state("o-1");
        assertEquals("shipped", shipped.current());
        assertEquals(Optional.empty(), shipped.lastError());
        assertEquals(1, shipped.payload());
        assertEquals(2, ShipmentFsm.failures("o-1"), "onFailure ran for each failed attempt");
        assertTrue(orders.details("o-1").toCompletableFuture().join().orElseThrow().delays().isEmpty());
        kit.advance(Duration.ofMinutes(5));
        assertEquals(List.of(1, 2, 3), numbers("o-1"), "no attempt after the success");

        List<FsmHistoryEntry<Integer>> history = orders.history("o-1").toCompletableFuture().join();
        String entry = ShipmentFsm.DEFINITION.entryEvent();
        assertEquals(List.of("*>" + entry + ">ordered", "ordered>pay>paid", "paid>__retry__>paid",
                "paid>__retry__>paid", "paid>ship!>shipped"), history.stream().map(e -> e.from() + ">" + e.event()
                + ">" + e.to()).toList());
        assertEquals(start, history.get(2).at(), "a retried failure is dated when it failed");
        assertEquals(start.plusSeconds(1), history.get(3).at());
    }

    @Test
    void whenTheAttemptsRunOutTheFsmTakesTheFallback() {
        paid("o-2", 100);
        kit.advance(Duration.ofSeconds(1 + 2 + 4));
        FsmState<Integer> lost = state("o-2");
        assertEquals("lost", lost.current());
        assertEquals(List.of(1, 2, 3, 4), numbers("o-2"));
        assertEquals(4, ShipmentFsm.failures("o-2"), "onFailure ran for the last attempt too");
        List<FsmHistoryEntry<Integer>> history = orders.history("o-2").toCompletableFuture().join();
        FsmHistoryEntry<Integer> last = history.get(history.size() - 1);
        assertEquals("paid ship! lost", last.from() + " " + last.event() + " " + last.to());
        assertEquals(3, history.stream().filter(e -> e.event().equals("__retry__")).count());
    }

    @Test
    void whenTheAttemptsRunOutWithoutAFallbackTheFsmStaysWithTheError() {
        paid("stay-3", 100);
        kit.advance(Duration.ofSeconds(1 + 2 + 4));
        FsmState<Integer> stuck = state("stay-3");
        assertEquals("paid", stuck.current());
        assertTrue(stuck.lastError().orElseThrow().reason().endsWith("attempt 4 of 4, the last: the FSM stays in "
                + "'paid'"), stuck.lastError().toString());
        assertTrue(orders.details("stay-3").toCompletableFuture().join().orElseThrow().delays().isEmpty());
        kit.advance(Duration.ofHours(1));
        assertEquals(List.of(1, 2, 3, 4), numbers("stay-3"), "no attempt after the last");
        // a restart begins a new round, as it fires any failed hard event again
        ShipmentFsm.failNext("stay-3", 0);
        orders.stop("stay-3").toCompletableFuture().join();
        assertEquals(StartResult.LOADED, orders.start("stay-3", 0).toCompletableFuture().join());
        assertEquals("shipped", state("stay-3").current());
        assertEquals(List.of(1, 2, 3, 4, 1), numbers("stay-3"));
    }

    @Test
    void aPendingRetrySurvivesAStopAndAStartAndIsNotDuplicated() {
        paid("o-4", 1);
        assertEquals(List.of(1), numbers("o-4"));
        orders.stop("o-4").toCompletableFuture().join();
        assertEquals(StartResult.LOADED, orders.start("o-4", 0).toCompletableFuture().join());
        kit.settle("o-4");
        assertEquals(List.of(1), numbers("o-4"), "the recovery does not fire the hard event: its retry is pending");
        assertEquals("paid", state("o-4").current());
        kit.advance(Duration.ofSeconds(1));
        assertEquals("shipped", state("o-4").current());
        assertEquals(List.of(1, 2), numbers("o-4"));
        Retry.Attempt recovered = ShipmentFsm.attempts("o-4").get(1); // read back from the journal
        assertTrue(recovered.lastFailure().contains("the carrier is down"), recovered.toString());
        assertTrue(recovered.lastFailedAt() != null, recovered.toString());
        kit.advance(Duration.ofMinutes(1));
        assertEquals(List.of(1, 2), numbers("o-4"));
    }

    @Test
    void whileARetryWaitsOtherCallsAreAnsweredAtOnce() {
        paid("o-5", 1);
        long sent = System.nanoTime();
        assertEquals("paid", orders.state("o-5").toCompletableFuture().join().orElseThrow().current());
        assertTrue(orders.alive("o-5").toCompletableFuture().join());
        assertTrue((System.nanoTime() - sent) / 1e9 < 2, "not held behind the pending retry");
        kit.advance(Duration.ofSeconds(1));
        assertEquals("shipped", state("o-5").current());
    }

    /** A shipment whose retry policy the definition cannot honour: {@code policy} says which. */
    abstract static class Unhonoured extends FsmBehavior<Integer> {
        Unhonoured(FsmContext context) {
            super(context);
        }

        @Override
        protected FsmDefinition definition() {
            return ShipmentFsm.DEFINITION;
        }

        @Override
        protected Transition<Integer> onTransition(String state, String event, Object arg, Integer payload) {
            return Transition.to(targetOf(state, event), payload);
        }
    }

    /** A policy for a state without a hard event. */
    static final class NoHardEvent extends Unhonoured {
        NoHardEvent(FsmContext context) {
            super(context);
        }

        @Override
        protected Optional<Retry> retry(String state) {
            return state.equals("ordered") ? Optional.of(Retry.attempts(3)) : Optional.empty();
        }
    }

    /** A fallback the hard event does not lead to. */
    static final class BadFallback extends Unhonoured {
        BadFallback(FsmContext context) {
            super(context);
        }

        @Override
        protected Optional<Retry> retry(String state) {
            return state.equals("paid") ? Optional.of(Retry.attempts(3).thenMoveTo("ordered")) : Optional.empty();
        }
    }

    @Test
    void aPolicyTheDefinitionCannotHonourFailsTheSupervisorsCreation() {
        IllegalArgumentException noHard = assertThrows(IllegalArgumentException.class,
                () -> Finitomata.create(testKit.system(), "no-hard", NoHardEvent.class, NoHardEvent::new));
        assertTrue(noHard.getMessage().contains("retry(\"ordered\") returns a policy, but state 'ordered' has no "
                + "hard event to retry"), noHard.getMessage());
        IllegalArgumentException fallback = assertThrows(IllegalArgumentException.class,
                () -> Finitomata.create(testKit.system(), "bad-fallback", BadFallback.class, BadFallback::new));
        assertTrue(fallback.getMessage().contains("moves to 'ordered' when its attempts run out, but 'ship!' in "
                + "state 'paid' leads only to"), fallback.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Retry.attempts(0));
        assertThrows(IllegalArgumentException.class, () -> Retry.attempts(2).jitter(1.5));
        assertThrows(IllegalArgumentException.class, () -> Retry.attempts(2).backoff(Duration.ofSeconds(2),
                Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(8), Retry.attempts(9).backoff(Duration.ofSeconds(1),
                Duration.ofSeconds(8)).waitAfter(7));
    }
}
