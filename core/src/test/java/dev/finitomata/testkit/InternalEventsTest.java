package dev.finitomata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finitomata.Finitomata;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.TicketFsm;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Internal events (issue 25, point 5): only the FSM's own timer fires them. A client's {@code transition},
 * {@code transitionAndWait} or delayed {@code transition} of one is refused at the call; random walks never send
 * them, and reach their target only when time passes; a definition without the event fails the facade's creation.
 */
class InternalEventsTest {

    private ActorTestKit testKit;

    @AfterEach
    void shutdown() {
        if (testKit != null) {
            testKit.shutdownTestKit();
        }
    }

    private FsmTestKit<Integer> kit() {
        testKit = ActorTestKit.create("internal", ManualTime.config().withFallback(VirtualTimeTest.JOURNAL));
        return FsmTestKit.create(testKit, TicketFsm.class, TicketFsm::new);
    }

    @Test
    void aClientCannotSendAnInternalEventButTheTimerFiresIt() {
        FsmTestKit<Integer> kit = kit();
        kit.start("t-1", 0);
        FsmSupervisor<Integer> tickets = kit.supervisor();
        for (Runnable call : java.util.List.<Runnable>of(
                () -> tickets.transitionAndWait("t-1", "escalate", null),
                () -> tickets.transition("t-1", "escalate", null),
                () -> tickets.transition("t-1", "escalate", null, Duration.ofMinutes(1)))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
            assertTrue(e.getMessage().contains("event 'escalate' is internal to TicketFsm"), e.getMessage());
        }
        kit.advance(Duration.ofMinutes(2));
        assertEquals("open", kit.supervisor().state("t-1").toCompletableFuture().join().orElseThrow().current());
        kit.advance(TicketFsm.WAIT);
        assertEquals("escalated", kit.supervisor().state("t-1").toCompletableFuture().join().orElseThrow()
                .current(), "the ticket's own timer fires it");
    }

    @Test
    void theTimerRunsOnlyInTheStatesTimerOfStateGivesOneAndTheStateKnowsWhereItWas() {
        FsmTestKit<Integer> kit = kit();
        kit.start("t-2", 0);
        FsmSupervisor<Integer> tickets = kit.supervisor();
        assertTrue(tickets.details("t-2").toCompletableFuture().join().orElseThrow().timer().isPresent(), "open");
        kit.advance(TicketFsm.WAIT);
        var escalated = tickets.details("t-2").toCompletableFuture().join().orElseThrow();
        assertEquals("escalated", escalated.state().current());
        assertTrue(escalated.timer().isEmpty(), "no timer in escalated: " + escalated);
        assertEquals(java.util.Optional.of("open"), escalated.state().previous());
        assertTrue(escalated.state().visited("open"));
        assertFalse(escalated.state().visited("closed"));
    }

    @Test
    void randomWalksNeverSendItAndReachItOnlyThroughTime() {
        FsmTestKit<Integer> kit = kit();
        kit.start("first", 0);
        RandomWalks.Summary without = kit.randomWalks(name -> 0).seed(3).walks(20).run();
        assertFalse(without.eventsSent().contains("escalate"), "sent: " + without.eventsSent());
        assertFalse(without.statesReached().contains("escalated"), "reached: " + without.statesReached());
        RandomWalks.Summary withTime = kit.randomWalks(name -> 0).seed(3).walks(20).timeSteps(Duration.ofDays(2))
                .run();
        assertFalse(withTime.eventsSent().contains("escalate"), "sent: " + withTime.eventsSent());
        assertTrue(withTime.statesReached().contains("escalated"), "reached: " + withTime.statesReached());
    }

    /**
     * The facade remembers the strings of events it accepted, to check them by identity: an event it refused is checked
     * again each time, whether the same string or a new one, and new strings of an accepted event are still accepted
     * once the remembered ones are many.
     */
    @Test
    void everyCallIsCheckedNotOnlyTheFirstOfAnEvent() {
        FsmTestKit<Integer> kit = kit();
        kit.start("t-3", 0);
        FsmSupervisor<Integer> tickets = kit.supervisor();
        for (int i = 0; i < 40; i++) {
            String reply = i % 2 == 0 ? "reply" : new String("reply");
            assertEquals(i + 1, tickets.transitionAndWait("t-3", reply, null).toCompletableFuture().join().payload());
            for (String refused : java.util.List.of("escalate", new String("escalate"), "fly", new String("fly"))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> tickets.transition("t-3", refused, null), refused);
                assertTrue(e.getMessage().contains("event '" + refused + "' is"), e.getMessage());
            }
        }
    }

    /** Names an internal event its definition does not have. */
    public static final class Misnamed extends FsmBehavior<Integer> {
        public Misnamed(FsmContext context) {
            super(context);
        }

        @Override
        protected FsmDefinition definition() {
            return TicketFsm.DEFINITION;
        }

        @Override
        protected Set<String> internalEvents() {
            return Set.of("escalte");
        }

        @Override
        protected Transition<Integer> onTransition(String state, String event, Object arg, Integer payload) {
            return Transition.to(targetOf(state, event), payload);
        }
    }

    @Test
    void anInternalEventTheDefinitionDoesNotHaveFailsTheFacadesCreation() {
        testKit = ActorTestKit.create("misnamed", VirtualTimeTest.JOURNAL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Finitomata.create(testKit.system(), "misnamed", Misnamed.class, Misnamed::new));
        assertTrue(e.getMessage().contains("internalEvents() names 'escalte', which is not an event of its "
                + "definition"), e.getMessage());
    }
}
