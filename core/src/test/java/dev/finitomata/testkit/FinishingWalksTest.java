package dev.finitomata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.definition.FsmPath;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Walks through states that finish the FSM (defects a new user found): an invariant is checked in the last state
 * before the end too, and that state counts as reached; a path whose hard chain ends in an auto-terminating state is
 * walked to the end; events can be left out of random walks; the virtual-time error speaks of the extension.
 */
class FinishingWalksTest {

    /** A loan: a rejection ends it at once, a disbursement is a hard event into a state that ends it at once. */
    public static final class Loan extends FsmBehavior<Integer> {
        static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                [*] --> applied : apply
                applied --> under_review : review
                under_review --> approved : approve
                under_review --> rejected : reject
                approved --> disbursed : disburse!
                rejected --> [*]
                disbursed --> [*]
                """);

        public Loan(FsmContext context) {
            super(context);
        }

        @Override
        protected FsmDefinition definition() {
            return DEFINITION;
        }

        @Override
        protected boolean autoTerminate() {
            return true;
        }

        @Override
        protected Transition<Integer> onTransition(String state, String event, Object arg, Integer steps) {
            return Transition.to(targetOf(state, event), steps + 1);
        }
    }

    static final ActorTestKit TEST_KIT = ActorTestKit.create("finishing-walks", VirtualTimeTest.JOURNAL);

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    private final FsmTestKit<Integer> kit = FsmTestKit.create(TEST_KIT, Loan.class, Loan::new);

    @Test
    void anInvariantIsCheckedInTheLastStateBeforeTheEnd() {
        kit.start("first", 0); // the kit learns the definition
        AssertionError failure = assertThrows(AssertionError.class, () -> kit.randomWalks(name -> 0).seed(7)
                .walks(20).invariant("never rejected", fsm -> !fsm.current().equals("rejected")).run());
        assertTrue(failure.getMessage().contains("invariant 'never rejected' is false in state 'rejected'"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("shortest failing sequence: 2 steps"), failure.getMessage());

        RandomWalks.Summary summary = kit.randomWalks(name -> 0).seed(7).walks(20).run();
        assertTrue(summary.statesReached().contains("rejected"), "reached: " + summary.statesReached());
        assertTrue(summary.statesReached().contains("disbursed"), "passed by the hard chain: "
                + summary.statesReached());
    }

    @Test
    void eventsCanBeLeftOutOfRandomWalks() {
        kit.start("second", 0);
        RandomWalks.Summary summary = kit.randomWalks(name -> 0).seed(7).walks(20).excludeEvents("reject").run();
        assertTrue(!summary.eventsSent().contains("reject") && summary.eventsSent().contains("approve"),
                "sent: " + summary.eventsSent());
        assertTrue(!summary.statesReached().contains("rejected"), "reached: " + summary.statesReached());
    }

    @Test
    void aPathEndingInAHardChainIntoAnEndingStateIsWalkedToTheEnd() {
        FsmPath path = FsmTestKit.paths(Loan.DEFINITION).stream()
                .filter(p -> p.steps().stream().anyMatch(s -> s.event().equals("disburse!"))).findFirst()
                .orElseThrow();
        FsmUnderTest<Integer> loan = kit.start("walked", 0);
        assertEquals("disbursed", loan.walk(path).current());
        assertEquals(false, kit.supervisor().alive("walked").toCompletableFuture().join(), "it finished");
    }

    @Test
    void withoutVirtualTimeTheMessageSaysHowToGetIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kit.advance(Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("FsmTestKitExtension.create().virtualTime()"), e.getMessage());
        IllegalStateException steps = assertThrows(IllegalStateException.class,
                () -> kit.randomWalks(name -> 0).timeSteps(Duration.ofSeconds(1)));
        assertTrue(steps.getMessage().contains(".virtualTime()"), steps.getMessage());
    }
}
