package dev.finitomata.persistence.file.internal;

import dev.finitomata.persistence.file.internal.RecordFormat.StoredEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. One segment file of a {@link FileStore}: {@code segment-<id>-<generation>.log}, where compaction
 * writes a segment's next generation. {@code size} and {@code dead} are guarded by the {@link StoreIndex}'s lock.
 */
final class Segment {

    static final Pattern NAME = Pattern.compile("segment-(\\d{8})-(\\d{4})\\.log");
    private static final Logger LOG = LoggerFactory.getLogger(Segment.class);

    final int id;
    final int generation;
    final Path path;
    final FileChannel channel;
    long size;
    long dead;

    Segment(int id, int generation, Path path, FileChannel channel, long size) {
        this.id = id;
        this.generation = generation;
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    static String name(int id, int generation) {
        return String.format("segment-%08d-%04d.log", id, generation);
    }

    /** Opens an existing segment file. */
    static Segment open(Path path, int id, int generation, long size) throws IOException {
        return new Segment(id, generation, path, FileChannel.open(path, StandardOpenOption.READ,
                StandardOpenOption.WRITE), size);
    }

    /** Creates (or opens) segment {@code id} in {@code dir} and makes its directory entry durable. */
    static Segment create(Path dir, int id, int generation) throws IOException {
        Path path = dir.resolve(name(id, generation));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        syncDirectory(dir);
        return new Segment(id, generation, path, channel, channel.size());
    }

    /** Forces {@code dir}'s entries (new, renamed, deleted files) to disk, where the platform allows it. */
    static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at " + position);
            }
        }
    }

    /** The events of the record at {@code offset}, checked against its checksum. */
    List<StoredEvent> readEvents(long offset, int length) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(length);
        readFully(channel, record, offset);
        record.flip();
        int bodyLength = record.getInt();
        int crc = record.getInt();
        if (bodyLength != length - RecordFormat.HEADER_BYTES || RecordFormat.crc(record.duplicate()) != crc) {
            throw new IOException("corrupt record in " + path + " at offset " + offset);
        }
        return ((RecordFormat.Events) RecordFormat.decode(record)).events();
    }
}
