package dev.finitomata.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The wake index's entries as stored: names and due times as two arrays, so that reading 10,000,000 of them does not
 * make Jackson intern every name as a field name; and the map form written before still reads.
 */
class WakesChangedTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final Serialization SERIALIZATION = SerializationExtension.get(Adapter.toClassic(KIT.system()));

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static Object read(Serializer serializer, byte[] bytes) {
        return SERIALIZATION.deserialize(bytes, serializer.identifier(),
                ((SerializerWithStringManifest) serializer).manifest(new WakesChanged(Map.of()))).get();
    }

    @Test
    void namesAndDueTimesAreStoredAsArraysAndReadBackAsTheMap() throws Exception {
        Map<String, Long> due = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            due.put("order-" + i, 1_000_000L + i);
        }
        due.put("gone", WakesChanged.FORGET);
        WakesChanged written = new WakesChanged(due);
        Serializer serializer = SERIALIZATION.findSerializerFor(written);
        byte[] bytes = serializer.toBinary(written);

        JsonNode stored = new CBORMapper().readTree(bytes);
        assertTrue(stored.get("names").isArray(), "names as an array: " + stored.fieldNames().next());
        assertTrue(stored.get("at").isArray());
        assertFalse(stored.has("due"), "no map whose keys Jackson would intern");
        assertEquals(due, ((WakesChanged) read(serializer, bytes)).due());
    }

    @Test
    void theMapFormWrittenBeforeIsStillRead() throws Exception {
        Map<String, Long> due = Map.of("a", 5L, "b", WakesChanged.FORGET);
        byte[] before = new CBORMapper().writeValueAsBytes(Map.of("due", due));
        Serializer serializer = SERIALIZATION.findSerializerFor(new WakesChanged(Map.of()));
        assertEquals(due, ((WakesChanged) read(serializer, before)).due());
        assertEquals(Map.of(), ((WakesChanged) read(serializer, new CBORMapper().writeValueAsBytes(Map.of())))
                .due(), "an empty write");
    }
}
