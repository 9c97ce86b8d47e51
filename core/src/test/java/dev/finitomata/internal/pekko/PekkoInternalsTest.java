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
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.PublishedEvent;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
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

    /** The smallest event-sourced behavior: persists each command's text, then answers. */
    private static final class Recorder extends EventSourcedBehavior<Recorder.Add, String, String> {

        record Add(String text, ActorRef<Done> replyTo) {
        }

        Recorder(String id) {
            super(PersistenceId.ofUniqueId(id));
        }

        @Override
        public String emptyState() {
            return "";
        }

        @Override
        public CommandHandler<Add, String, String> commandHandler() {
            return (state, add) -> Effect().persist(add.text()).thenReply(add.replyTo(), s -> Done.getInstance());
        }

        @Override
        public EventHandler<String, String> eventHandler() {
            return (state, text) -> state + text;
        }
    }

    @Test
    void anEventSourcedBehaviorBuiltWithoutEventPublishingPublishesNothingAndPekkosDefaultDoes() {
        ActorTestKit kit = ActorTestKit.create("publishing", ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
                pekko.persistence.snapshot-store.local.dir = "target/snapshots-internals-%d"
                pekko.loglevel = WARNING
                """.formatted(System.nanoTime())).withFallback(ConfigFactory.load()));
        try {
            TestProbe<PublishedEvent> published = kit.createTestProbe();
            kit.system().eventStream().tell(new EventStream.Subscribe<>(PublishedEvent.class, published.getRef()));
            Behavior<Recorder.Add> quiet = PekkoInternals.withoutEventPublishing(new Recorder("quiet"));
            TestProbe<Done> answers = kit.createTestProbe();
            kit.spawn(quiet).tell(new Recorder.Add("a", answers.getRef()));
            answers.expectMessage(Done.getInstance());
            // Pekko publishes before it answers: had the quiet one published, its event would come first
            kit.spawn(new Recorder("default")).tell(new Recorder.Add("b", answers.getRef()));
            answers.expectMessage(Done.getInstance());
            assertEquals("default", published.receiveMessage().persistenceId().id());
        } finally {
            kit.shutdownTestKit();
        }
    }
}
