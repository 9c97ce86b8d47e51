package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmState;
import dev.finitomata.persistence.ets.Ets;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/** The README's 15-line example, compiled and run as written there. */
class ReadmeExampleTest {

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
