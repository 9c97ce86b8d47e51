package dev.finitomata.persistence.file.internal;

import com.typesafe.config.Config;
import dev.finitomata.persistence.file.internal.RecordFormat.Blob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * INTERNAL API. The file snapshot store ({@code finitomata.persistence.file.snapshot-store}): one file per snapshot,
 * {@code <dir>/<persistence id>/snapshot-<sequenceNr>-<timestamp>.snap}, holding
 * {@code crc:int32 serializerId:int32 manifestLength:int16 manifest bytes}, with the CRC32C over everything after it.
 * A snapshot is written to a temporary file, forced, renamed into place and the directory forced, so a crash leaves
 * either the old or the new snapshot. Loading skips a corrupt snapshot with a WARN and falls back to an older one.
 */
public final class FileSnapshotStore extends SnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStore.class);
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})-(\\d+)\\.snap");
    private static final int MAX_DIR_NAME = 200;

    private final Path dir;
    private final SharedLocks.Lease lock;
    private final Serializing serializing;
    /** Names of the per-persistence-id directories that exist, so loads for ids without snapshots touch no disk. */
    private final java.util.Set<String> directories = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Where snapshots are saved: platform threads, as many as cores (each save mostly waits for fsyncs). */
    private final ExecutorService io = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime()
            .availableProcessors()), Thread.ofPlatform().daemon().name("finitomata-file-snapshot-io-", 0).factory());

    private record Entry(Path file, long sequenceNr, long timestamp) {
    }

    /** Called by Pekko with the plugin's configuration. */
    public FileSnapshotStore(Config config) throws IOException {
        this.dir = Path.of(config.getString("dir"));
        this.lock = SharedLocks.acquire(dir, "finitomata.persistence.file.snapshot-store.dir");
        this.serializing = new Serializing(context().system());
        try (Stream<Path> dirs = Files.list(dir)) {
            dirs.filter(Files::isDirectory).forEach(d -> directories.add(d.getFileName().toString()));
        }
    }

    @Override
    public Future<Optional<SelectedSnapshot>> doLoadAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
        try {
            for (Entry entry : entries(persistenceId).stream().filter(e -> matches(e, criteria))
                    .sorted(Comparator.comparingLong(Entry::sequenceNr).thenComparingLong(Entry::timestamp)
                            .reversed()).toList()) {
                try {
                    Object snapshot = read(entry.file());
                    return Futures.successful(Optional.of(SelectedSnapshot.create(
                            new SnapshotMetadata(persistenceId, entry.sequenceNr(), entry.timestamp()), snapshot)));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("skipping unreadable snapshot {}: {}; falling back to an older one", entry.file(),
                            e.toString());
                }
            }
            return Futures.successful(Optional.empty());
        } catch (IOException e) {
            return Futures.failed(e);
        }
    }

    @Override
    public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
        // off the store's actor and in parallel: each save waits for two fsyncs, and saves of different FSMs are
        // independent (Pekko saves one snapshot at a time per persistent actor)
        return FutureConverters.asScala(CompletableFuture.runAsync(() -> {
            try {
                save(metadata, snapshot);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, io));
    }

    private void save(SnapshotMetadata metadata, Object snapshot) throws IOException {
        Blob blob = serializing.toBlob(snapshot);
        byte[] manifest = blob.manifest().getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(4 + 2 + manifest.length + blob.bytes().length);
        body.putInt(blob.serializerId()).putShort((short) manifest.length).put(manifest).put(blob.bytes()).flip();
        ByteBuffer file = ByteBuffer.allocate(4 + body.remaining());
        file.putInt(RecordFormat.crc(body.duplicate())).put(body).flip();
        String dirName = directoryName(metadata.persistenceId());
        Path pidDir = Files.createDirectories(dir.resolve(dirName));
        directories.add(dirName);
        String name = String.format("snapshot-%020d-%d.snap", metadata.sequenceNr(), metadata.timestamp());
        Path tmp = pidDir.resolve(name + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (file.hasRemaining()) {
                out.write(file);
            }
            out.force(true);
        }
        Files.move(tmp, pidDir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        force(pidDir);
        for (Entry e : entries(metadata.persistenceId())) {
            if (e.sequenceNr() == metadata.sequenceNr() && e.timestamp() != metadata.timestamp()) {
                Files.deleteIfExists(e.file());
            }
        }
    }

    @Override
    public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
        return delete(metadata.persistenceId(), e -> e.sequenceNr() == metadata.sequenceNr()
                && (metadata.timestamp() == 0 || e.timestamp() == metadata.timestamp()));
    }

    @Override
    public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
        return delete(persistenceId, e -> matches(e, criteria));
    }

    private Future<Void> delete(String persistenceId, java.util.function.Predicate<Entry> which) {
        try {
            for (Entry e : entries(persistenceId)) {
                if (which.test(e)) {
                    Files.deleteIfExists(e.file());
                }
            }
            return Futures.successful(null);
        } catch (IOException e) {
            return Futures.failed(e);
        }
    }

    private Object read(Path file) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
        int crc = all.getInt();
        if (RecordFormat.crc(all.duplicate()) != crc) {
            throw new IOException("checksum mismatch");
        }
        int serializerId = all.getInt();
        byte[] manifest = new byte[all.getShort()];
        all.get(manifest);
        byte[] bytes = new byte[all.remaining()];
        all.get(bytes);
        return serializing.fromBlob(new Blob(serializerId, new String(manifest, StandardCharsets.UTF_8), bytes));
    }

    private List<Entry> entries(String persistenceId) throws IOException {
        String dirName = directoryName(persistenceId);
        Path pidDir = dir.resolve(dirName);
        if (!directories.contains(dirName)) {
            // another ActorSystem of this JVM sharing the directory may have created it since
            if (!Files.isDirectory(pidDir)) {
                return List.of();
            }
            directories.add(dirName);
        }
        try (Stream<Path> files = Files.list(pidDir)) {
            return files.map(f -> {
                Matcher m = NAME.matcher(f.getFileName().toString());
                return m.matches() ? new Entry(f, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))) : null;
            }).filter(e -> e != null).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private static boolean matches(Entry e, SnapshotSelectionCriteria c) {
        return e.sequenceNr() <= c.maxSequenceNr() && e.timestamp() <= c.maxTimestamp()
                && e.sequenceNr() >= c.minSequenceNr() && e.timestamp() >= c.minTimestamp();
    }

    /** A file-system-safe directory name for a persistence id (URL-encoded; hashed when too long). */
    static String directoryName(String persistenceId) {
        String encoded = URLEncoder.encode(persistenceId, StandardCharsets.UTF_8);
        if (encoded.length() <= MAX_DIR_NAME) {
            return encoded;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(persistenceId.getBytes(StandardCharsets.UTF_8));
            return encoded.substring(0, 100) + "-" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void force(Path directory) {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}: {}", directory, e.toString());
        }
    }

    @Override
    public void postStop() throws Exception {
        io.shutdown();
        io.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        lock.close();
        super.postStop();
    }
}
