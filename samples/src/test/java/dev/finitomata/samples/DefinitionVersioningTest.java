package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.typesafe.config.Config;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmError;
import dev.finitomata.FsmFactory;
import dev.finitomata.FsmState;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.Lifecycle;
import dev.finitomata.StartResult;
import dev.finitomata.internal.protocol.Event;
import dev.finitomata.internal.runtime.PersistenceIds;
import dev.finitomata.persistence.file.internal.FileStore;
import dev.finitomata.persistence.file.internal.RecordFormat.StoredEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versioned definitions on the file journal: each version runs in an ActorSystem of its own on the same journal
 * files, as a deployment of new code restarts the node. Renamed and split states are migrated before the FSM runs
 * (and before its delayed transitions are re-armed); a state no migration handles fails the start, names the FSM,
 * the state and the version, and leaves the journal as it was.
 */
class DefinitionVersioningTest {

    @TempDir
    Path dir;

    private Config config() {
        return FileJournalDir.config(dir, "");
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Runs {@code code} against version {@code type} of the ticket, in a node of its own on the shared journal. */
    private void deploy(Class<? extends FsmBehavior<Integer>> type, FsmFactory<Integer> factory,
                        ThrowingConsumer<Finitomata<Integer>> code) throws Exception {
        ActorTestKit node = ActorTestKit.create("node", config());
        try {
            code.accept(Finitomata.create(node.system(), "tickets", type, factory));
        } finally {
            node.shutdownTestKit();
        }
    }

    interface ThrowingConsumer<T> {
        void accept(T value) throws Exception;
    }

    private static FsmState<Integer> loaded(Finitomata<Integer> tickets, String name) throws Exception {
        assertEquals(StartResult.LOADED, await(tickets.start(name, 0)), name);
        FsmState<Integer> state = await(tickets.state(name)).orElseThrow();
        assertEquals(Lifecycle.LOADED, state.lifecycle());
        return state;
    }

    @Test
    void renamedAndSplitStatesAreMigratedAcrossRestartsAndAStateNobodyMigratesIsRefused() throws Exception {
        deploy(Tickets.V1.Ticket.class, Tickets.V1.Ticket::new, tickets -> {
            await(tickets.start("t-assigned", 0));
            await(tickets.transitionAndWait("t-assigned", "assign", null));
            await(tickets.start("t-urgent", 5));
            await(tickets.start("t-someday", 0));
        });
        deploy(Tickets.V2.Ticket.class, Tickets.V2.Ticket::new, tickets -> {
            assertEquals("in_progress", loaded(tickets, "t-assigned").current()); // renamed
            assertEquals("resolved", await(tickets.transitionAndWait("t-assigned", "resolve", null)).current());
        });
        deploy(Tickets.V3.Ticket.class, Tickets.V3.Ticket::new, tickets -> {
            assertEquals("triaged", loaded(tickets, "t-urgent").current());      // split, by the payload
            assertEquals("fresh", loaded(tickets, "t-someday").current());
            assertEquals("resolved", loaded(tickets, "t-assigned").current());   // version 2: kept
            assertEquals("in_progress", await(tickets.transitionAndWait("t-urgent", "assign", null)).current());
        });
        deploy(Tickets.V4.Ticket.class, Tickets.V4.Ticket::new, tickets -> {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> await(tickets.start("t-urgent", 0)));
            FsmError error = assertInstanceOf(FsmTransitionException.class, refused.getCause()).error();
            assertEquals(FsmError.Stage.START, error.stage());
            assertTrue(error.reason().contains("FSM 't-urgent' persisted in state 'in_progress' by version 3 of "
                    + "Ticket cannot be loaded by version 4"), error.reason());
            assertTrue(error.reason().contains("override migrate") && error.reason().contains("Nothing was changed"),
                    error.reason());
            assertEquals(java.util.Optional.empty(), await(tickets.state("t-urgent")), "not started");
            assertEquals("fresh", loaded(tickets, "t-someday").current());         // the others load
        });
        deploy(Tickets.V3.Ticket.class, Tickets.V3.Ticket::new, tickets -> {
            // version 4 changed nothing: version 3 loads it as it was
            FsmState<Integer> urgent = loaded(tickets, "t-urgent");
            assertEquals("in_progress", urgent.current());
            assertEquals(5, urgent.payload());
        });
        // the journal: version 1's start carries no version; the migration and version 3's transition do
        List<StoredEvent> stored;
        try (FileStore store = FileStore.open(dir.resolve("journal"), FileJournalDir.SETTINGS)) {
            stored = store.read(PersistenceIds.of("tickets", Tickets.V1.Ticket.class, "t-urgent"), 1, Long.MAX_VALUE,
                    100);
        }
        ActorTestKit reader = ActorTestKit.create("reader", config());
        try {
            Serialization serialization = SerializationExtension.get(Adapter.toClassic(reader.system()));
            List<Object> events = stored.stream().map(e -> serialization.deserialize(e.payload().bytes(),
                    e.payload().serializerId(), e.payload().manifest()).get()).toList();
            assertEquals(3, events.size(), events.toString());
            Event.Transitioned start = assertInstanceOf(Event.Transitioned.class, events.get(0));
            assertEquals(null, start.version(), "version 1 is not written: " + start);
            Event.Migrated migrated = assertInstanceOf(Event.Migrated.class, events.get(1));
            assertEquals("triaged", migrated.to(), migrated.toString());
            Event.Transitioned moved = assertInstanceOf(Event.Transitioned.class, events.get(2));
            assertEquals(3, moved.version(), moved.toString());
        } finally {
            reader.shutdownTestKit();
        }
    }

    @Test
    void aDelayedTransitionFiresAfterTheMigrationInTheMigratedState() throws Exception {
        deploy(Tickets.V1.Ticket.class, Tickets.V1.Ticket::new, tickets -> {
            await(tickets.start("t-delayed", 0));
            await(tickets.transitionAndWait("t-delayed", "assign", null));
            tickets.transition("t-delayed", "resolve", null, Duration.ofMillis(1_500));
            await(tickets.state("t-delayed")); // the schedule is persisted before the state is answered
        });
        deploy(Tickets.V2.Ticket.class, Tickets.V2.Ticket::new, tickets -> {
            assertEquals("in_progress", loaded(tickets, "t-delayed").current());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!await(tickets.state("t-delayed")).orElseThrow().current().equals("resolved")) {
                assertTrue(System.nanoTime() < deadline, "the delayed 'resolve' did not fire after the migration");
                Thread.sleep(20);
            }
        });
    }

    @Test
    void theStartupCheckRefusesARenameToAMissingStateAndAVersionBelowOne() {
        ActorTestKit node = ActorTestKit.create("node", config());
        try {
            IllegalStateException rename = assertThrows(IllegalStateException.class, () -> Finitomata.create(
                    node.system(), "bad-rename", Tickets.BadRename.Ticket.class, Tickets.BadRename.Ticket::new));
            assertTrue(rename.getMessage().contains("renamedStates() renames 'assigned' to 'working', which is not a "
                    + "state of version 2's definition"), rename.getMessage());
            IllegalStateException version = assertThrows(IllegalStateException.class, () -> Finitomata.create(
                    node.system(), "bad-version", Tickets.BadVersion.Ticket.class, Tickets.BadVersion.Ticket::new));
            assertTrue(version.getMessage().contains("version() is 0; versions start at 1"), version.getMessage());
            // nothing was left behind: the ids are free
            Finitomata.create(node.system(), "bad-rename", Tickets.V2.Ticket.class, Tickets.V2.Ticket::new);
        } finally {
            node.shutdownTestKit();
        }
    }
}
