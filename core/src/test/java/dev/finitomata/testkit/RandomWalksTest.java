package dev.finitomata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.finitomata.testkit.Subscription.Account;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RandomWalksTest {

    static final ActorTestKit TEST_KIT = ActorTestKit.create("walks", VirtualTimeTest.JOURNAL);

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    @AfterEach
    void fixed() {
        Wallet.buggy = true;
    }

    private final FsmTestKit<Integer> kit = FsmTestKit.create(TEST_KIT, Wallet.class, Wallet::new);

    private RandomWalks<Integer> walks(long seed) {
        return kit.randomWalks(name -> 0).seed(seed).walks(30).maxSteps(20)
                .invariant("the balance is never negative", fsm -> fsm.payload() >= 0);
    }

    @Test
    void aBrokenInvariantShrinksToTheShortestSequence() {
        for (long seed : new long[] {1, 2, 3, 42, 2026}) {
            AssertionError failure = assertThrows(AssertionError.class, () -> walks(seed).run());
            String report = failure.getMessage();
            assertTrue(report.contains("(seed " + seed + ")"), report);
            assertTrue(report.contains("invariant 'the balance is never negative' is false in state 'open' with "
                    + "payload -5"), report);
            assertTrue(report.contains("shortest failing sequence: 2 steps") && report.contains("1. deposit\n  2. "
                    + "withdraw\n"), report);
            assertTrue(report.contains(".seed(" + seed + ")"), report);
        }
    }

    @Test
    void theSameSeedGivesTheSameWalksAndTheSameReport() {
        Wallet.buggy = false;
        RandomWalks.Summary first = walks(7).run();
        RandomWalks.Summary again = walks(7).run();
        assertEquals(first.steps(), again.steps());
        assertEquals(first.eventsSent(), again.eventsSent());
        Wallet.buggy = true;
        assertEquals(assertThrows(AssertionError.class, () -> walks(9).run()).getMessage(),
                assertThrows(AssertionError.class, () -> walks(9).run()).getMessage());
    }

    @Test
    void aCorrectFsmPassesAndTheSummaryShowsWhatWasCovered() {
        Wallet.buggy = false;
        RandomWalks.Summary summary = walks(11).run();
        assertEquals(30, summary.walks());
        assertTrue(summary.steps() > 30, summary.toString());
        assertEquals(Set.of("open", "frozen", "closed"), summary.statesReached());
        assertEquals(Set.of("deposit", "withdraw", "freeze", "thaw", "audit", "close", "archive"),
                summary.eventsSent());
    }

    @Test
    void aCallbackThatThrowsFailsTheWalkAndShrinks() {
        Wallet.buggy = false;
        AssertionError failure = assertThrows(AssertionError.class, () -> walks(5)
                .eventPayloads((state, event, random) -> event.equals("audit") ? random.nextInt(10) : null).run());
        String report = failure.getMessage();
        assertTrue(report.contains("stage TRANSITION in 'frozen' on 'audit': onTransition threw "
                + "java.lang.IllegalStateException: audit"), report);
        assertTrue(report.contains("shortest failing sequence: 2 steps") && report.contains("1. freeze\n  2. audit ("),
                report);
    }

    @Test
    void walksMayLetVirtualTimePass() {
        ActorTestKit manual = ActorTestKit.create("walks-in-time", ManualTime.config()
                .withFallback(VirtualTimeTest.JOURNAL));
        try {
            FsmTestKit<Account> accounts = FsmTestKit.create(manual, Subscription.class, Subscription::new);
            RandomWalks.Summary summary = accounts.randomWalks(name -> new Account(accounts.now().toEpochMilli(),
                            0, List.of()))
                    .seed(3).walks(10).maxSteps(12).timeSteps(Duration.ofDays(10), Duration.ofDays(25))
                    .invariant("billed only while active or after", fsm -> fsm.payload().billed() == 0
                            || fsm.payload().seen().stream().anyMatch(s -> s.startsWith("subscribe")))
                    .run();
            assertTrue(summary.statesReached().contains("closed"), summary.toString()); // a lapse, by the timer
        } finally {
            manual.shutdownTestKit();
        }
        assertThrows(IllegalStateException.class, () -> kit.randomWalks(name -> 0).timeSteps(Duration.ofDays(1)));
    }
}
