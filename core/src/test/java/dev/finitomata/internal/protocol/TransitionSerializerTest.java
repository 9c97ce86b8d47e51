package dev.finitomata.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The compact stored form of a transition: every field and every kind of payload comes back as it was written, it is
 * smaller than the Jackson form, transitions written by Jackson before still read, and a damaged or unknown record is
 * refused with a message that says what it is.
 */
class TransitionSerializerTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final Serialization SERIALIZATION = SerializationExtension.get(Adapter.toClassic(KIT.system()));

    /** A payload of the user's. */
    public record Order(String id, long cents, List<String> lines, Map<String, Integer> counts) {
    }

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static Object roundTrip(Object event) {
        Serializer serializer = SERIALIZATION.findSerializerFor(event);
        byte[] bytes = serializer.toBinary(event);
        return SERIALIZATION.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, event))
                .get();
    }

    @Test
    void aTransitionIsWrittenByTheCompactSerializerAndReadBackEqual() {
        Event.Transitioned transition = Event.Transitioned.of("a", "go", "b", new Order("o-1", 1_250,
                List.of("x", "y"), Map.of("x", 2)), 1, 1_765_000_000_123L);
        Serializer serializer = SERIALIZATION.findSerializerFor(transition);
        assertInstanceOf(TransitionSerializer.class, serializer);
        assertEquals(TransitionSerializer.MANIFEST, Serializers.manifestFor(serializer, transition));
        assertEquals(transition, roundTrip(transition));
    }

    @Test
    void everyFieldSurvivesWhetherSetOrNot() {
        Object[] payloads = {null, "text", 42L, 7, 3.5, true, new ArrayList<>(List.of(1, 2)),
            new HashMap<>(Map.of("k", "v")),
            new Order("ü-é-名", -1, List.of(), Map.of()), new int[] {1, 2, 3}};
        for (Object payload : payloads) {
            for (Integer version : new Integer[] {null, 2, 1_000_000, Integer.MAX_VALUE, -1}) {
                for (Long at : new Long[] {null, 0L, 1L, -1L, 1_765_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE}) {
                    Event.Transitioned t = new Event.Transitioned("*", "__start__", "naïve state ✓", payload,
                            version, at);
                    Event.Transitioned back = (Event.Transitioned) roundTrip(t);
                    assertEquals(t.from(), back.from());
                    assertEquals(t.event(), back.event());
                    assertEquals(t.to(), back.to());
                    assertEquals(t.version(), back.version());
                    assertEquals(t.at(), back.at());
                    if (payload instanceof int[] ints) {
                        assertArrayEquals(ints, (int[]) back.payload());
                    } else {
                        assertEquals(payload, back.payload(), "payload " + payload);
                    }
                }
            }
        }
        Event.Transitioned nulls = new Event.Transitioned(null, null, null, null, null, null);
        assertEquals(nulls, roundTrip(nulls));
    }

    @Test
    void theCompactFormIsSmallerThanJacksons() throws Exception {
        Event.Transitioned transition = Event.Transitioned.of("a", "go", "b", new Order("o-1", 1_250,
                List.of(), Map.of()), 1, System.currentTimeMillis());
        Serializer jackson = SERIALIZATION.serializerFor(FsmSerializable.class);
        Serializer compact = SERIALIZATION.findSerializerFor(transition);
        int before = jackson.toBinary(transition).length + Event.Transitioned.class.getName().length();
        int after = compact.toBinary(transition).length + TransitionSerializer.MANIFEST.length();
        assertTrue(after < before - 60, "compact " + after + " B against Jackson's " + before + " B");
    }

    @Test
    void aTransitionWrittenByJacksonBeforeStillReads() throws Exception {
        Event.Transitioned transition = Event.Transitioned.of("a", "go", "b", new Order("o-2", 5, List.of("z"),
                Map.of()), 3, 1_765_000_000_456L);
        Serializer jackson = SERIALIZATION.serializerFor(FsmSerializable.class);
        byte[] old = jackson.toBinary(transition);
        assertEquals(transition, SERIALIZATION.deserialize(old, jackson.identifier(),
                Event.Transitioned.class.getName()).get());
        // and under the class name of 0.1.0 (LegacyClassNames)
        assertEquals(transition, SERIALIZATION.deserialize(old, jackson.identifier(),
                "dev.finitomata.internal.FsmProtocol$Transitioned").get());
    }

    @Test
    void aDamagedOrUnknownRecordIsRefusedWithItsReason() {
        TransitionSerializer serializer = (TransitionSerializer) SERIALIZATION.findSerializerFor(
                Event.Transitioned.of("a", "go", "b", null, 1, 1));
        byte[] good = serializer.toBinary(Event.Transitioned.of("a", "go", "b", "p", 1, 1));
        NotSerializableException format = assertThrows(NotSerializableException.class, () -> {
            byte[] newer = good.clone();
            newer[0] = 9;
            serializer.fromBinary(newer, TransitionSerializer.MANIFEST);
        });
        assertTrue(format.getMessage().contains("format 9"), format.getMessage());
        NotSerializableException cut = assertThrows(NotSerializableException.class,
                () -> serializer.fromBinary(Arrays.copyOf(good, 3), TransitionSerializer.MANIFEST));
        assertTrue(cut.getMessage().contains("cut short"), cut.getMessage());
        NotSerializableException manifest = assertThrows(NotSerializableException.class,
                () -> serializer.fromBinary(good, "X"));
        assertTrue(manifest.getMessage().contains("'X'"), manifest.getMessage());
        NotSerializableException flags = assertThrows(NotSerializableException.class, () -> {
            byte[] damaged = good.clone();
            damaged[1] = (byte) 0x80;
            serializer.fromBinary(damaged, TransitionSerializer.MANIFEST);
        });
        assertTrue(flags.getMessage().contains("flags"), flags.getMessage());
        assertThrows(NotSerializableException.class,
                () -> serializer.fromBinary(Arrays.copyOf(good, good.length - 2), TransitionSerializer.MANIFEST));
    }
}
