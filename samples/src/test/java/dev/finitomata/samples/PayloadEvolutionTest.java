package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmState;
import dev.finitomata.StartResult;
import dev.finitomata.internal.protocol.Event;
import dev.finitomata.internal.protocol.FsmSerializable;
import dev.finitomata.internal.protocol.TransitionSerializer;
import dev.finitomata.internal.runtime.PersistenceIds;
import dev.finitomata.persistence.file.internal.FileStore;
import dev.finitomata.persistence.file.internal.RecordFormat.Blob;
import dev.finitomata.persistence.file.internal.RecordFormat.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payload evolution with Pekko's Jackson migrations: FSMs persisted with older versions of {@link Parcel} (a field
 * added, renamed, removed, a type changed) recover under the current class, on the file journal, and keep their state
 * across a restart. The old events are written into the journal's files as the old code wrote them: CBOR of the old
 * shape, with the type id of the old version.
 */
class PayloadEvolutionTest {

    static final String SUPERVISOR = "parcels";

    @TempDir
    Path dir;

    private Config config() {
        return FileJournalDir.config(dir, """
                pekko.serialization.jackson.migrations {
                  "dev.finitomata.samples.Parcel" = "dev.finitomata.samples.ParcelMigration"
                }
                """);
    }

    /** The payload as version {@code version} of the class wrote it, with the type id that version wrote. */
    private static ObjectNode oldParcel(int version, String id) {
        ObjectNode parcel = JsonNodeFactory.instance.objectNode();
        parcel.put("@class", Parcel.class.getName() + (version == 1 ? "" : "#" + version));
        parcel.put("id", id);
        parcel.put(version < 3 ? "weight" : "grams", 1_200);
        parcel.put("priority", "HIGH");
        parcel.put("legacyCode", "X-9");
        if (version >= 2) {
            parcel.put("insured", true);
        }
        return parcel;
    }

    /** Writes the FSM {@code name}'s start and shipping, in the old shape, straight into the file journal. */
    private void writeOldJournal(String name, int version) throws Exception {
        ActorTestKit writer = ActorTestKit.create("old-writer", config());
        List<StoredEvent> events = new ArrayList<>();
        try {
            Serialization serialization = SerializationExtension.get(Adapter.toClassic(writer.system()));
            // the old code wrote its transitions with Pekko's jackson-cbor (the compact form came later)
            Serializer serializer = serialization.serializerFor(FsmSerializable.class);
            ObjectMapper cbor = JacksonObjectMapperProvider.get(Adapter.toClassic(writer.system()))
                    .getOrCreate("jackson-cbor", Optional.empty());
            String[][] moves = {{"*", "__start__", "packed"}, {"packed", "ship", "shipped"}};
            for (int i = 0; i < moves.length; i++) { // the same old type id twice: each is migrated
                ObjectNode transitioned = JsonNodeFactory.instance.objectNode();
                transitioned.put("from", moves[i][0]).put("event", moves[i][1]).put("to", moves[i][2]);
                transitioned.set("payload", oldParcel(version, name));
                events.add(new StoredEvent(i + 1, System.currentTimeMillis(), "old", "", new Blob(
                        serializer.identifier(), Event.Transitioned.class.getName(),
                        cbor.writeValueAsBytes(transitioned)), null));
            }
        } finally {
            writer.shutdownTestKit();
        }
        try (FileStore store = FileStore.open(dir.resolve("journal"), FileJournalDir.SETTINGS)) {
            store.append(PersistenceIds.of(SUPERVISOR, ParcelFsm.class, name), events).get(10, TimeUnit.SECONDS);
        }
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void recoversUnderTheNewClass(int version) throws Exception {
        String name = "parcel-v" + version;
        writeOldJournal(name, version);
        Parcel expected = new Parcel(name, 1_200, 1, version >= 2);

        ActorTestKit node = ActorTestKit.create("node", config());
        try {
            Finitomata<Parcel> parcels = Finitomata.create(node.system(), SUPERVISOR, ParcelFsm.class, ParcelFsm::new);
            assertEquals(StartResult.LOADED, await(parcels.start(name, new Parcel(name, 0, 9, false))));
            FsmState<Parcel> loaded = await(parcels.state(name)).orElseThrow();
            assertEquals("shipped", loaded.current());
            assertEquals(expected, loaded.payload(), "version " + version + " migrated to version 4");
            assertEquals("delivered", await(parcels.transitionAndWait(name, "deliver", null)).current());
        } finally {
            node.shutdownTestKit();
        }

        ActorTestKit restarted = ActorTestKit.create("node", config());   // a restart: a new system, the same files
        try {
            Finitomata<Parcel> parcels = Finitomata.create(restarted.system(), SUPERVISOR, ParcelFsm.class,
                    ParcelFsm::new);
            assertEquals(StartResult.LOADED, await(parcels.start(name, new Parcel(name, 0, 9, false))));
            FsmState<Parcel> again = await(parcels.state(name)).orElseThrow();
            assertEquals("delivered", again.current());
            assertEquals(expected, again.payload());
        } finally {
            restarted.shutdownTestKit();
        }
        // what the new code wrote carries the payload's version in its type id, for the next migration
        try (FileStore store = FileStore.open(dir.resolve("journal"), FileJournalDir.SETTINGS)) {
            List<StoredEvent> stored = store.read(PersistenceIds.of(SUPERVISOR, ParcelFsm.class, name), 1,
                    Long.MAX_VALUE, 100);
            String delivered = new String(stored.get(stored.size() - 1).payload().bytes(),
                    StandardCharsets.ISO_8859_1);
            assertTrue(delivered.contains(Parcel.class.getName() + "#4"), delivered);
            String old = new String(stored.get(0).payload().bytes(), StandardCharsets.ISO_8859_1);
            assertTrue(old.contains("legacyCode"), "the old event is left as it was written");
            // the old events are jackson-cbor's, the new ones the compact form: one journal holds both
            assertEquals(Event.Transitioned.class.getName(), stored.get(0).payload().manifest());
            assertEquals(TransitionSerializer.IDENTIFIER, stored.get(stored.size() - 1).payload().serializerId());
            assertEquals(TransitionSerializer.MANIFEST, stored.get(stored.size() - 1).payload().manifest());
        }
    }

    @Test
    void version1WithoutInsuranceWithWeightWithLegacyCodeAndTextPriority() throws Exception {
        recoversUnderTheNewClass(1);
    }

    @Test
    void version2WithInsurance() throws Exception {
        recoversUnderTheNewClass(2);
    }

    @Test
    void version3WithGrams() throws Exception {
        recoversUnderTheNewClass(3);
    }
}
