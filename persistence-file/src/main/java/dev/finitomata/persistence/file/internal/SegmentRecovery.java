package dev.finitomata.persistence.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Opening a {@link FileStore}'s directory: every segment is scanned and indexed. Leftovers of an
 * interrupted compaction (a {@code .tmp} file, an older generation next to a newer one) are removed. A torn or
 * corrupt tail of the last segment is truncated (logged with its offset): it was never acknowledged, because a write
 * is acknowledged only once forced. Corruption anywhere else, or followed by an intact record, is an error that names
 * the file and offset: skipping it would drop acknowledged data.
 *
 * <p>Segments are read sequentially through one window of {@link Window#BYTES}: reading each record's header and
 * body by themselves cost two system calls per record, which at 10,000,000 stored events was 17 s of the 23 s
 * that opening took.
 */
final class SegmentRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentRecovery.class);

    private SegmentRecovery() {
    }

    /** Scans {@code dir} into {@code index} and activates its last segment (or a new first one). */
    static void recover(Path dir, StoreIndex index) throws IOException {
        Map<Integer, List<Path>> byId = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.delete(file);
                    continue;
                }
                Matcher m = Segment.NAME.matcher(name);
                if (m.matches()) {
                    byId.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>()).add(file);
                }
            }
        }
        List<Integer> ids = new ArrayList<>(byId.keySet());
        Window window = new Window();
        Segment last = null;
        for (int i = 0; i < ids.size(); i++) {
            List<Path> generations = byId.get(ids.get(i));
            generations.sort(Path::compareTo);
            Path newest = generations.get(generations.size() - 1);
            for (Path older : generations.subList(0, generations.size() - 1)) {
                Files.delete(older);
            }
            Matcher m = Segment.NAME.matcher(newest.getFileName().toString());
            m.matches();
            last = Segment.open(newest, ids.get(i), Integer.parseInt(m.group(2)), 0);
            index.addSegment(last);
            scan(last, i == ids.size() - 1, index, window);
        }
        index.activate(last != null ? last : Segment.create(dir, 1, 0));
    }

    private static void scan(Segment segment, boolean last, StoreIndex index, Window window) throws IOException {
        long fileSize = segment.channel.size();
        window.reset(segment.channel);
        long offset = 0;
        while (offset < fileSize) {
            String problem = null;
            ByteBuffer body = null;
            if (fileSize - offset < RecordFormat.HEADER_BYTES) {
                problem = "partial record header";
            } else {
                ByteBuffer header = window.bytes(offset, RecordFormat.HEADER_BYTES);
                int length = header.getInt();
                int crc = header.getInt();
                if (length <= 0 || length > RecordFormat.MAX_RECORD_BYTES
                        || offset + RecordFormat.HEADER_BYTES + length > fileSize) {
                    problem = "partial or invalid record (length " + length + ")";
                } else {
                    body = window.bytes(offset + RecordFormat.HEADER_BYTES, length);
                    if (RecordFormat.crc(body.duplicate()) != crc) {
                        problem = "checksum mismatch";
                    }
                }
            }
            if (problem != null) {
                long valid = validRecordAfter(segment.channel, offset + 1, fileSize);
                if (valid >= 0) {
                    throw new IOException("corrupt record in " + segment.path + " at byte offset " + offset + " ("
                            + problem + "), followed by a valid record at offset " + valid + ": refusing to skip "
                            + "acknowledged data; restore the file, or truncate it at offset " + offset
                            + " to give up everything from there on");
                }
                if (!last) {
                    throw new IOException("corrupt record in " + segment.path + " at byte offset " + offset + " ("
                            + problem + "), which is not the last segment: restore the file or truncate it there");
                }
                LOG.warn("file journal: truncating torn tail of {} at byte offset {} ({}; {} bytes dropped)",
                        segment.path, offset, problem, fileSize - offset);
                segment.channel.truncate(offset);
                segment.channel.force(true);
                break;
            }
            int length = body.limit();
            switch (RecordFormat.decodeIndex(body)) {
                case RecordFormat.Sequences e -> index.addEvents(e.persistenceId(), e.sequenceNrs(), segment.id,
                        offset, RecordFormat.HEADER_BYTES + length);
                case RecordFormat.Delete d -> index.deleteTo(d.persistenceId(), d.toSequenceNr(), d.highest());
                case RecordFormat.Events e -> throw new IllegalStateException("decodeIndex answered events");
            }
            offset += RecordFormat.HEADER_BYTES + length;
        }
        segment.size = offset;
    }

    /**
     * A sequential reader of one segment at a time: answers views of its bytes from a buffer filled {@link #BYTES}
     * at a time. A view is valid until the next call; a record larger than the buffer gets a buffer of its own.
     */
    private static final class Window {
        static final int BYTES = 4 << 20;

        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BYTES);
        private FileChannel channel;
        private long start;

        void reset(FileChannel channel) {
            this.channel = channel;
            this.start = 0;
            buffer.clear().limit(0);
        }

        /** Bytes {@code [position, position + length)} of the segment, all within the file. */
        ByteBuffer bytes(long position, int length) throws IOException {
            if (position < start || position + length > start + buffer.limit()) {
                if (length > BYTES) {
                    ByteBuffer own = ByteBuffer.allocate(length);
                    Segment.readFully(channel, own, position);
                    return own.flip();
                }
                buffer.clear();
                long remaining = channel.size() - position;
                if (remaining < BYTES) {
                    buffer.limit((int) remaining);
                }
                Segment.readFully(channel, buffer, position);
                buffer.flip();
                start = position;
            }
            return buffer.slice((int) (position - start), length);
        }
    }

    /** The offset of the first intact record (plausible length, matching checksum) at or after {@code from}, or -1. */
    private static long validRecordAfter(FileChannel channel, long from, long fileSize) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(RecordFormat.HEADER_BYTES);
        for (long at = from; at + RecordFormat.HEADER_BYTES < fileSize; at++) {
            header.clear();
            Segment.readFully(channel, header, at);
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            if (length > 0 && length <= RecordFormat.MAX_RECORD_BYTES
                    && at + RecordFormat.HEADER_BYTES + length <= fileSize) {
                ByteBuffer body = ByteBuffer.allocate(length);
                Segment.readFully(channel, body, at + RecordFormat.HEADER_BYTES);
                body.flip();
                if (RecordFormat.crc(body) == crc) {
                    return at;
                }
            }
        }
        return -1;
    }
}
