package dev.finitomata.persistence.ets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.persistence.tck.ListBehavior;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** End-to-end behaviour of the ETS store under real event-sourced actors. */
class EtsStoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final List<ActorTestKit> kits = new ArrayList<>();

    private ActorTestKit system(String table) {
        Config config = EtsJournalTest.etsConfig(table, false)
                .withFallback(ConfigFactory.parseString("pekko.loglevel = WARNING"))
                .withFallback(ConfigFactory.load());
        ActorTestKit kit = ActorTestKit.create("ets-" + table + "-" + kits.size(), config);
        kits.add(kit);
        return kit;
    }

    @AfterEach
    void shutdown() {
        kits.forEach(ActorTestKit::shutdownTestKit);
    }

    private static List<Integer> get(ActorTestKit kit, ActorRef<ListBehavior.Command> actor) {
        TestProbe<List<Integer>> probe = kit.createTestProbe();
        actor.tell(new ListBehavior.Get(probe.getRef()));
        return probe.receiveMessage(TIMEOUT);
    }

    @Test
    void manyPersistenceIdsWriteAndReplayConcurrentlyWithoutLossOrReordering() throws Exception {
        ActorTestKit kit = system("concurrent");
        int actors = 200;
        int events = 50;
        List<ActorRef<ListBehavior.Command>> refs = IntStream.range(0, actors)
                .mapToObj(i -> kit.spawn(ListBehavior.create("c-" + i, 0))).toList();
        List<CompletableFuture<Done>> acks = new ArrayList<>();
        for (int e = 0; e < events; e++) {
            int value = e;
            for (ActorRef<ListBehavior.Command> ref : refs) {
                CompletionStage<Done> ack = AskPattern.ask(ref, replyTo -> new ListBehavior.Append(value, replyTo),
                        TIMEOUT, kit.system().scheduler());
                acks.add(ack.toCompletableFuture());
            }
        }
        // replays of other ids run while the writes are in flight
        List<ActorRef<ListBehavior.Command>> readers = IntStream.range(0, actors)
                .mapToObj(i -> kit.spawn(ListBehavior.create("c-" + i, 0))).toList();
        readers.forEach(r -> get(kit, r));
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();
        List<Integer> expected = IntStream.range(0, events).boxed().toList();
        for (int i = 0; i < actors; i++) {
            assertEquals(expected, get(kit, refs.get(i)));
            ActorRef<ListBehavior.Command> replayed = kit.spawn(ListBehavior.create("c-" + i, 0));
            assertEquals(expected, get(kit, replayed));
            assertEquals(expected, Ets.table("concurrent").events("c-" + i));
        }
    }

    @Test
    void twoActorSystemsShareATable() {
        ActorTestKit first = system("shared");
        ActorTestKit second = system("shared");
        ActorRef<ListBehavior.Command> a = first.spawn(ListBehavior.create("shared-1", 0));
        TestProbe<Done> done = first.createTestProbe();
        a.tell(new ListBehavior.Append(1, done.getRef()));
        a.tell(new ListBehavior.Append(2, done.getRef()));
        done.receiveSeveralMessages(2, TIMEOUT);
        first.stop(a);
        first.shutdownTestKit();

        ActorRef<ListBehavior.Command> b = second.spawn(ListBehavior.create("shared-1", 0));
        assertEquals(List.of(1, 2), get(second, b));
        ActorTestKit other = system("other-table");
        assertEquals(List.of(), get(other, other.spawn(ListBehavior.create("shared-1", 0))));
    }

    @Test
    void snapshotsAndDeletionsThroughRetention() {
        ActorTestKit kit = system("retention");
        ActorRef<ListBehavior.Command> actor = kit.spawn(ListBehavior.create("r-1", 10));
        TestProbe<Done> done = kit.createTestProbe();
        for (int i = 0; i < 35; i++) {
            actor.tell(new ListBehavior.Append(i, done.getRef()));
        }
        done.receiveSeveralMessages(35, TIMEOUT);
        EtsTable table = Ets.table("retention");
        assertEquals(35, table.highestSequenceNr("r-1"));
        assertEquals(Optional.of(34), table.latest("r-1"));
        ActorRef<ListBehavior.Command> restored = kit.spawn(ListBehavior.create("r-1", 10));
        assertEquals(IntStream.range(0, 35).boxed().toList(), get(kit, restored));
    }

    @Test
    void tableApi() {
        ActorTestKit kit = system("api");
        ActorRef<ListBehavior.Command> actor = kit.spawn(ListBehavior.create("api-1", 0));
        TestProbe<Done> done = kit.createTestProbe();
        actor.tell(new ListBehavior.Append(7, done.getRef()));
        done.receiveMessage(TIMEOUT);
        EtsTable table = Ets.table("api");
        assertEquals("api", table.name());
        assertTrue(table.persistenceIds().contains("api-1"));
        assertEquals(List.of(7), table.events("api-1"));
        assertEquals(Optional.of(7), table.latest("api-1"));
        kit.stop(actor);
        table.purge("api-1");
        assertEquals(Optional.empty(), table.latest("api-1"));
        assertEquals(0, table.highestSequenceNr("api-1"));
        assertEquals(List.of(), get(kit, kit.spawn(ListBehavior.create("api-1", 0))));
        assertThrows(IllegalArgumentException.class, () -> Ets.table(" "));
        assertThrows(NullPointerException.class, () -> table.events(null));
    }
}
