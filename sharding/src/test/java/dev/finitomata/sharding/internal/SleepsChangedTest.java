package dev.finitomata.sharding.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A sleep register's entries as stored: names and sleepers as two arrays, so that Jackson does not intern every FSM
 * name as a field name when a register recovers; the map form written before still reads.
 */
class SleepsChangedTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final Serialization SERIALIZATION = SerializationExtension.get(Adapter.toClassic(KIT.system()));

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static Map<String, Sleeper> read(byte[] bytes) {
        Serializer serializer = SERIALIZATION.findSerializerFor(new Sleeper.SleepsChanged(Map.of()));
        return ((Sleeper.SleepsChanged) SERIALIZATION.deserialize(bytes, serializer.identifier(),
                ((SerializerWithStringManifest) serializer).manifest(new Sleeper.SleepsChanged(Map.of()))).get())
                .changes();
    }

    @Test
    void namesAndSleepersAreStoredAsArraysAndReadBackAsTheMap() throws Exception {
        Map<String, Sleeper> changes = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            changes.put("order-" + i, new Sleeper("waiting", i, 1_000_000L + i, i % 2 == 0 ? 0 : 5_000L + i));
        }
        changes.put("gone", Sleeper.GONE);
        Sleeper.SleepsChanged written = new Sleeper.SleepsChanged(changes);
        byte[] bytes = SERIALIZATION.findSerializerFor(written).toBinary(written);

        JsonNode stored = new CBORMapper().readTree(bytes);
        assertTrue(stored.get("names").isArray());
        assertTrue(stored.get("sleepers").isArray());
        assertFalse(stored.has("changes"), "no map whose keys Jackson would intern");
        Map<String, Sleeper> back = read(bytes);
        assertEquals(changes, back);
        assertNull(back.get("gone").state(), "a removal stays a removal");
    }

    @Test
    void theMapFormWrittenBeforeIsStillRead() throws Exception {
        Map<String, Sleeper> changes = Map.of("a", new Sleeper("working", 1, 2, 3), "b", Sleeper.GONE);
        assertEquals(changes, read(new CBORMapper().writeValueAsBytes(Map.of("changes", changes))));
    }
}
