package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmState;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.persistence.ets.Ets;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/** The README's 15-line example, compiled and run as written there. */
class ReadmeExampleTest {

    // ---- README: begin ----
    public static final class Door extends FsmBehavior<Door.Opened> {
        public record Opened(int times) { }
        static final FsmDefinition FSM = FsmDefinition.parse("""
            [*] --> closed : install
            closed --> opened : open
            opened --> closed : close
            closed --> [*] : remove
            """);
        public Door(FsmContext context) { super(context); }
        @Override protected FsmDefinition definition() { return FSM; }
        @Override protected Transition<Opened> onTransition(String state, String event, Object arg, Opened o) {
            return Transition.to(targetOf(state, event), event.equals("open") ? new Opened(o.times() + 1) : o);
        }
    }
    // ---- README: end ----

    @Test
    void theExampleRuns() throws Exception {
        ActorTestKit testKit = ActorTestKit.create("readme", Ets.config().withFallback(ConfigFactory.load()));
        try {
            var system = testKit.system();
            // ---- README: begin ----
            Finitomata<Door.Opened> doors = Finitomata.create(system, "doors", Door.class, Door::new);
            doors.start("front", new Door.Opened(0));
            doors.transitionAndWait("front", "open", null);   // persisted before it completes
            // ---- README: end ----
            FsmState<Door.Opened> state = doors.transitionAndWait("front", "close", null).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals("closed", state.current());
            assertEquals(new Door.Opened(1), state.payload());
        } finally {
            testKit.shutdownTestKit();
        }
    }
}
