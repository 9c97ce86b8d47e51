package dev.finitomata.internal.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.testkit.ExplicitlyTriggeredScheduler;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * Pins every Pekko internal and Scala type {@link PekkoInternals} relies on: a Pekko upgrade that changes one of them
 * fails here, naming it, rather than somewhere in the runtime.
 */
class PekkoInternalsTest {

    @Test
    void aJournalFailureIsTheExceptionPekkoRestartsEventSourcedBehaviorsOn() {
        RuntimeException failure = PekkoInternals.journalFailure("FSM 'x': failed", new IllegalStateException("io"));
        assertEquals("org.apache.pekko.persistence.typed.internal.JournalFailureException",
                failure.getClass().getName());
        assertEquals("io", failure.getCause().getMessage());
    }

    @Test
    void theSignalHandlerSeesTheSignalsAskedForAndNoOthers() {
        List<Signal> seen = new ArrayList<>();
        SignalHandler<String> handler = PekkoInternals.signalHandler((state, signal) -> seen.add(signal),
                new Class<?>[] {RecoveryCompleted.class});
        Signal recovered = RecoveryCompleted.instance();
        assertTrue(handler.handler().isDefinedAt(Tuple2.apply("state", recovered)));
        assertFalse(handler.handler().isDefinedAt(Tuple2.apply("state", new RecoveryFailed(new RuntimeException()))));
        handler.handler().apply(Tuple2.apply("state", recovered));
        assertEquals(List.of(recovered), seen);
    }

    @Test
    void theManualSchedulerStillShowsItsTasksAndTimersStillComeFromTimerSchedulerImpl() throws Exception {
        assertNotNull(PekkoInternals.scheduledTasks());
        Class.forName(PekkoInternals.TIMER_CLASS_PREFIX);
        ActorTestKit kit = ActorTestKit.create(ManualTime.config());
        try {
            ExplicitlyTriggeredScheduler scheduler =
                    (ExplicitlyTriggeredScheduler) Adapter.toClassic(kit.system()).scheduler();
            assertTrue(PekkoInternals.scheduledTasks().invoke(scheduler) instanceof Map<?, ?>);
        } finally {
            kit.shutdownTestKit();
        }
    }
}
