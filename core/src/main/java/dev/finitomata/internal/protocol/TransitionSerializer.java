package dev.finitomata.internal.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.finitomata.internal.payload.PayloadType;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/**
 * INTERNAL API. The stored form of {@link Event.Transitioned}, the event every committed transition writes: its
 * three names, version and time in a small binary envelope, and its payload as Pekko's {@code jackson-cbor} writes
 * it (with its class and version in its type id, {@link PayloadType}). Bound in core's {@code reference.conf}.
 *
 * <p>Design: written with Pekko's Jackson serializer, as every other Finitomata event still is, a transition took
 * 256 B on the file journal and 289 B in a PostgreSQL row against 161 B and 193 B for a hand-written behavior's
 * event that carries the same payload, and reading it back cost 1.1 µs (issue 26; docs/BENCHMARKS.md, fifteenth
 * session): the manifest is the event's class name (50 bytes in every record), the CBOR map repeats six field names
 * in every event, and Jackson binds the record by reflection. Here the manifest is one letter, the names and numbers
 * are length-prefixed, and only the payload, a user object, goes through Jackson, so that its migrations
 * ({@code PayloadTypeIdResolver}) apply exactly as before: 182 B and 215 B, read back in 0.4 µs. Transitions written
 * before (by Pekko's {@code jackson-cbor}, whose serializer id each stored event keeps) are read by it as before: the
 * class stays in Jackson's allow list ({@code allowed-class-prefix} in {@code reference.conf}). A node of an older
 * build cannot read this form: a rolling upgrade from one binds the event back to {@code jackson-cbor} first
 * (docs/versioning.md).
 *
 * <p>Format 1: the format byte; a flags byte (1: a version follows, 2: a commit time follows); {@code from},
 * {@code event} and {@code to}, each an unsigned varint of its UTF-8 length plus one (0 for null) and its bytes; the
 * version and the commit time (epoch milliseconds), each a zigzag varint, when flagged; then, to the end, the payload
 * wrapped as {@code {"p": payload}} in CBOR.
 * Thread-safe (Jackson's readers and writers are).
 */
public final class TransitionSerializer extends SerializerWithStringManifest {

    /** This serializer's id in every stored transition; never to change. */
    public static final int IDENTIFIER = 20_261_207;
    /** The manifest of a transition. */
    public static final String MANIFEST = "T";
    private static final byte FORMAT = 1;
    private static final int HAS_VERSION = 1;
    private static final int HAS_TIME = 2;

    /** The payload, with its class in its type id, as the Jackson event carried it. */
    private record Box(@PayloadType Object p) {
    }

    private final ObjectWriter payloadWriter;
    private final ObjectReader payloadReader;

    /** Built by Pekko's serialization, with its ActorSystem: uses the system's {@code jackson-cbor} mapper. */
    public TransitionSerializer(ExtendedActorSystem system) {
        ObjectMapper mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-cbor",
                Optional.of(new CBORFactory()));
        payloadWriter = mapper.writerFor(Box.class);
        payloadReader = mapper.readerFor(Box.class);
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof Event.Transitioned) {
            return MANIFEST;
        }
        throw new IllegalArgumentException("TransitionSerializer writes only Event.Transitioned, not " + o.getClass());
    }

    @Override
    public byte[] toBinary(Object o) {
        if (!(o instanceof Event.Transitioned t)) {
            throw new IllegalArgumentException("TransitionSerializer writes only Event.Transitioned, not "
                    + o.getClass());
        }
        byte[] from = utf8(t.from());
        byte[] event = utf8(t.event());
        byte[] to = utf8(t.to());
        byte[] payload;
        try {
            payload = payloadWriter.writeValueAsBytes(new Box(t.payload()));
        } catch (IOException e) {
            throw new UncheckedIOException("the payload of a transition to '" + t.to() + "' cannot be written", e);
        }
        int flags = (t.version() != null ? HAS_VERSION : 0) | (t.at() != null ? HAS_TIME : 0);
        long version = t.version() == null ? 0 : zigzag(t.version());
        long committed = t.at() == null ? 0 : zigzag(t.at());
        byte[] out = new byte[2 + size(from) + size(event) + size(to)
                + (t.version() == null ? 0 : varLongSize(version)) + (t.at() == null ? 0 : varLongSize(committed))
                + payload.length];
        out[0] = FORMAT;
        out[1] = (byte) flags;
        int at = 2;
        at = writeBytes(out, at, from);
        at = writeBytes(out, at, event);
        at = writeBytes(out, at, to);
        if (t.version() != null) {
            at = writeVarLong(out, at, version);
        }
        if (t.at() != null) {
            at = writeVarLong(out, at, committed);
        }
        System.arraycopy(payload, 0, out, at, payload.length);
        return out;
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        if (!MANIFEST.equals(manifest)) {
            throw new NotSerializableException("TransitionSerializer reads only manifest '" + MANIFEST + "', not '"
                    + manifest + "'");
        }
        if (bytes.length == 0 || bytes[0] != FORMAT) {
            throw new NotSerializableException("a stored transition in format " + (bytes.length == 0 ? "(empty)"
                    : bytes[0]) + ": this build reads format " + FORMAT + " (written by a newer Finitomata?)");
        }
        if (bytes.length < 2 || (bytes[1] & ~(HAS_VERSION | HAS_TIME)) != 0) {
            throw new NotSerializableException("a stored transition is cut short or damaged (flags "
                    + (bytes.length < 2 ? "missing" : bytes[1]) + ")");
        }
        int flags = bytes[1];
        int[] at = {2};
        String from = readString(bytes, at);
        String event = readString(bytes, at);
        String to = readString(bytes, at);
        Integer version = (flags & HAS_VERSION) == 0 ? null : (int) unzigzag(readVarLong(bytes, at));
        Long committed = (flags & HAS_TIME) == 0 ? null : unzigzag(readVarLong(bytes, at));
        Object payload;
        try {
            payload = payloadReader.<Box>readValue(bytes, at[0], bytes.length - at[0]).p();
        } catch (IOException e) {
            NotSerializableException failure = new NotSerializableException("the payload of a stored transition to '"
                    + to + "' cannot be read: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
        return new Event.Transitioned(from, event, to, payload, version, committed);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes {@link #writeBytes} takes. */
    private static int size(byte[] bytes) {
        return bytes == null ? 1 : varLongSize(bytes.length + 1L) + bytes.length;
    }

    private static int varLongSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    /** Null as 0, else the length plus one, then the bytes. */
    private static int writeBytes(byte[] out, int at, byte[] bytes) {
        if (bytes == null) {
            out[at] = 0;
            return at + 1;
        }
        at = writeVarLong(out, at, bytes.length + 1L);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    private static String readString(byte[] bytes, int[] at) throws NotSerializableException {
        long length = readVarLong(bytes, at);
        if (length == 0) {
            return null;
        }
        int n = (int) (length - 1);
        if (n < 0 || at[0] + n > bytes.length) {
            throw new NotSerializableException("a stored transition is cut short (a name of " + n + " bytes at "
                    + at[0] + " of " + bytes.length + ")");
        }
        String s = new String(bytes, at[0], n, StandardCharsets.UTF_8);
        at[0] += n;
        return s;
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static long unzigzag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }

    /** Unsigned LEB128; answers the index after it. */
    private static int writeVarLong(byte[] out, int at, long value) {
        while ((value & ~0x7FL) != 0) {
            out[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    private static long readVarLong(byte[] bytes, int[] at) throws NotSerializableException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= bytes.length) {
                throw new NotSerializableException("a stored transition is cut short (a number at " + at[0] + ")");
            }
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new NotSerializableException("a stored transition holds a number of more than 64 bits");
    }
}
