package dev.finitomata.persistence.file.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * INTERNAL API. The on-disk record layout of the file journal (see docs/file-journal.md).
 *
 * <pre>
 * record   = length:int32 crc:int32 body[length]          crc = CRC32C(body)
 * body     = EVENTS pid count:int32 event*                one atomic write of one persistence id
 *          | DELETE pid toSequenceNr:int64 highest:int64  events up to toSequenceNr are deleted
 * event    = sequenceNr:int64 timestamp:int64 writer adapterManifest blob hasMeta:int8 [blob]
 * blob     = serializerId:int32 manifest payload
 * pid, writer, adapterManifest, manifest = length:int16 utf8[length];   payload = length:int32 bytes[length]
 * </pre>
 * All integers are big-endian.
 */
public final class RecordFormat {

    static final int HEADER_BYTES = 8;
    static final byte EVENTS = 1;
    static final byte DELETE = 2;
    /** Larger records are taken for corruption. */
    static final int MAX_RECORD_BYTES = 64 << 20;

    private RecordFormat() {
    }

    /** A serialized payload. */
    public record Blob(int serializerId, String manifest, byte[] bytes) {
    }

    /** One event as stored. */
    public record StoredEvent(long sequenceNr, long timestamp, String writerUuid, String adapterManifest, Blob payload,
                       Blob metadata) {
    }

    /** A decoded record body. */
    sealed interface Body {
        String persistenceId();
    }

    record Events(String persistenceId, List<StoredEvent> events) implements Body {
    }

    record Delete(String persistenceId, long toSequenceNr, long highest) implements Body {
    }

    /** The events of a record as far as an index needs them: their sequence numbers ({@link #decodeIndex}). */
    record Sequences(String persistenceId, long[] sequenceNrs) implements Body {
    }

    /**
     * The record of one atomic write. @throws IllegalArgumentException if the persistence id or the record is too
     * large to be stored (such a record would be taken for corruption when the journal is opened again)
     */
    public static ByteBuffer events(String persistenceId, List<StoredEvent> events) {
        checkPersistenceId(persistenceId);
        long size = 1 + utfSize(persistenceId) + 4;
        for (StoredEvent e : events) {
            size += 16L + utfSize(e.writerUuid()) + utfSize(e.adapterManifest()) + blobSize(e.payload()) + 1
                    + (e.metadata() == null ? 0 : blobSize(e.metadata()));
        }
        if (size > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "a write of %,d bytes for persistence id "
                    + "'%s' (sequence numbers %d to %d) exceeds the file journal's limit of %,d bytes per write: "
                    + "store large data elsewhere and persist a reference to it", size, abbreviate(persistenceId),
                    events.get(0).sequenceNr(), events.get(events.size() - 1).sequenceNr(), MAX_RECORD_BYTES));
        }
        ByteBuffer body = ByteBuffer.allocate((int) size);
        body.put(EVENTS);
        putUtf(body, persistenceId);
        body.putInt(events.size());
        for (StoredEvent e : events) {
            body.putLong(e.sequenceNr()).putLong(e.timestamp());
            putUtf(body, e.writerUuid());
            putUtf(body, e.adapterManifest());
            putBlob(body, e.payload());
            body.put((byte) (e.metadata() == null ? 0 : 1));
            if (e.metadata() != null) {
                putBlob(body, e.metadata());
            }
        }
        return frame(body);
    }

    /** @throws IllegalArgumentException if {@code persistenceId} is longer than a record can hold */
    static void checkPersistenceId(String persistenceId) {
        int bytes = persistenceId.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Short.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "persistence id '%s' has %,d bytes (UTF-8); "
                    + "the file journal stores at most %,d: use shorter FSM names", abbreviate(persistenceId), bytes,
                    (int) Short.MAX_VALUE));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    static ByteBuffer delete(String persistenceId, long toSequenceNr, long highest) {
        checkPersistenceId(persistenceId);
        ByteBuffer body = ByteBuffer.allocate(1 + utfSize(persistenceId) + 16);
        body.put(DELETE);
        putUtf(body, persistenceId);
        body.putLong(toSequenceNr).putLong(highest);
        return frame(body);
    }

    /** Prefixes {@code body} (filled) with its length and checksum; answers the whole record, ready to write. */
    private static ByteBuffer frame(ByteBuffer body) {
        body.flip();
        ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + body.remaining());
        record.putInt(body.remaining()).putInt(crc(body.duplicate())).put(body).flip();
        return record;
    }

    static int crc(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    static Body decode(ByteBuffer body) {
        return decode(body, true);
    }

    /**
     * What indexing a record needs, for opening and compacting a store: a {@link Delete}, or the {@link Sequences}
     * of its events, whose payloads, metadata and strings are skipped, not copied.
     */
    static Body decodeIndex(ByteBuffer body) {
        return decode(body, false);
    }

    private static Body decode(ByteBuffer body, boolean whole) {
        byte type = body.get();
        String pid = getUtf(body);
        if (type == DELETE) {
            return new Delete(pid, body.getLong(), body.getLong());
        }
        if (type != EVENTS) {
            throw new IllegalStateException("unknown record type " + type);
        }
        int count = body.getInt();
        return whole ? new Events(pid, events(body, count)) : new Sequences(pid, sequenceNrs(body, count));
    }

    private static List<StoredEvent> events(ByteBuffer body, int count) {
        List<StoredEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long seq = body.getLong();
            long timestamp = body.getLong();
            String writer = getUtf(body);
            String adapterManifest = getUtf(body);
            Blob payload = getBlob(body);
            Blob meta = body.get() == 1 ? getBlob(body) : null;
            events.add(new StoredEvent(seq, timestamp, writer, adapterManifest, payload, meta));
        }
        return events;
    }

    private static long[] sequenceNrs(ByteBuffer body, int count) {
        long[] sequenceNrs = new long[count];
        for (int i = 0; i < count; i++) {
            sequenceNrs[i] = body.getLong();
            body.position(body.position() + Long.BYTES); // the timestamp
            skipUtf(body); // the writer
            skipUtf(body); // the adapter's manifest
            skipBlob(body);
            if (body.get() == 1) {
                skipBlob(body);
            }
        }
        return sequenceNrs;
    }

    private static void skipUtf(ByteBuffer buffer) {
        int length = buffer.getShort();
        buffer.position(buffer.position() + length);
    }

    private static void skipBlob(ByteBuffer buffer) {
        buffer.getInt(); // the serializer id
        skipUtf(buffer);
        int length = buffer.getInt();
        buffer.position(buffer.position() + length);
    }

    private static int utfSize(String s) {
        return 2 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long blobSize(Blob b) {
        return 4L + utfSize(b.manifest()) + 4 + b.bytes().length;
    }

    private static void putUtf(ByteBuffer buffer, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("string too long for the journal (" + bytes.length + " bytes)");
        }
        buffer.putShort((short) bytes.length).put(bytes);
    }

    private static String getUtf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getShort()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void putBlob(ByteBuffer buffer, Blob blob) {
        buffer.putInt(blob.serializerId());
        putUtf(buffer, blob.manifest());
        buffer.putInt(blob.bytes().length).put(blob.bytes());
    }

    private static Blob getBlob(ByteBuffer buffer) {
        int id = buffer.getInt();
        String manifest = getUtf(buffer);
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return new Blob(id, manifest, bytes);
    }
}
