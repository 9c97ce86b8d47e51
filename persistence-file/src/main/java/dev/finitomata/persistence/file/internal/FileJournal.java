package dev.finitomata.persistence.file.internal;

import com.typesafe.config.Config;
import dev.finitomata.persistence.file.internal.RecordFormat.StoredEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * INTERNAL API. The file journal plugin ({@code finitomata.persistence.file.journal}) over a {@link FileStore}.
 *
 * <p>Design: payloads are serialized in the journal actor (a payload that fails rejects its atomic write only);
 * the bytes go to the store's writer thread, whose future completes once the write is durable. Replays read the
 * index and files synchronously. Compaction is scheduled on the plugin's dispatcher.
 */
public final class FileJournal extends AsyncWriteJournal {

    private static final Logger LOG = LoggerFactory.getLogger(FileJournal.class);

    private final FileStore store;
    private final Serializing serializing;
    private final Cancellable compaction;
    /**
     * Serialisation and replay threads: platform threads, one per core. Not virtual threads: Jackson recycles its
     * buffers per thread, so a new virtual thread per task would allocate fresh buffers for every event.
     */
    private final ExecutorService encoders = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(),
            Thread.ofPlatform().daemon().name("finitomata-file-journal-codec-", 0).factory());
    private CompletableFuture<Void> order = CompletableFuture.completedFuture(null);

    /** Called by Pekko with the plugin's configuration. */
    public FileJournal(Config config) {
        this.store = acquire(config);
        this.serializing = new Serializing(context().system());
        java.time.Duration every = config.getDuration("compaction.interval");
        this.compaction = context().system().scheduler().scheduleWithFixedDelay(every, every, () -> {
            try {
                store.compact();
            } catch (IOException | RuntimeException e) {
                LOG.warn("file journal compaction failed: {}", e.toString());
            }
        }, context().dispatcher());
    }

    /**
     * The JVM-wide store of the journal configured by {@code config} (opened on first use; {@link SharedStores}
     * counts its users, each releases it once).
     */
    static FileStore acquire(Config config) {
        Path dir = Path.of(config.getString("dir"));
        FileStore.Fsync fsync = switch (config.getString("fsync")) {
            case "always" -> FileStore.Fsync.ALWAYS;
            case "interval" -> FileStore.Fsync.INTERVAL;
            default -> throw new IllegalArgumentException("finitomata.persistence.file.journal.fsync must be "
                    + "'always' or 'interval', was '" + config.getString("fsync") + "'");
        };
        FileStore.Settings settings = new FileStore.Settings(config.getBytes("segment-size"), fsync,
                config.getDuration("fsync-interval"), config.getDouble("compaction.live-ratio"),
                "finitomata.persistence.file.journal.dir");
        try {
            return SharedStores.acquire(dir, settings);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the file journal in " + dir.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The store behind this journal (tests and benchmarks). */
    public FileStore store() {
        return store;
    }

    @Override
    public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
        List<AtomicWrite> writes = new ArrayList<>();
        messages.forEach(writes::add);
        // serialise off the journal actor, in parallel with other calls, but hand to the store in arrival order
        CompletableFuture<List<Object>> encoded = CompletableFuture.supplyAsync(() -> encode(writes), encoders);
        CompletableFuture<List<CompletableFuture<Optional<Exception>>>> appended = order.thenCombine(encoded,
                (previous, all) -> {
                    List<CompletableFuture<Optional<Exception>>> results = new ArrayList<>(all.size());
                    for (int i = 0; i < all.size(); i++) {
                        results.add(all.get(i) instanceof Exception e ? CompletableFuture.completedFuture(Optional.of(e))
                                : store.append(writes.get(i).persistenceId(), castEvents(all.get(i)))
                                        .handle(FileJournal::rejectedOrFailed));
                    }
                    return results;
                });
        // the next call waits for this one to be handed to the store, whether that worked or not: one failed write
        // must not fail every later one
        order = appended.handle((r, e) -> null);
        CompletableFuture<Iterable<Optional<Exception>>> all = appended.thenCompose(results -> CompletableFuture
                .allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(v -> results.stream().map(CompletableFuture::join).toList()));
        return FutureConverters.asScala(all);
    }

    /** Per atomic write: its stored events, or the exception that rejects it. */
    private List<Object> encode(List<AtomicWrite> writes) {
        List<Object> encoded = new ArrayList<>(writes.size());
        for (AtomicWrite write : writes) {
            List<StoredEvent> events = new ArrayList<>();
            try {
                for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
                    Object payload = repr.payload() instanceof Tagged t ? t.payload() : repr.payload();
                    events.add(new StoredEvent(repr.sequenceNr(), repr.timestamp(), repr.writerUuid(),
                            repr.manifest(), serializing.toBlob(payload),
                            repr.metadata().isDefined() ? serializing.toBlob(repr.metadata().get()) : null));
                }
                encoded.add(events);
            } catch (Exception e) {
                encoded.add(e);
            }
        }
        return encoded;
    }

    /**
     * A write the store refused as too large is rejected (Pekko's {@code onPersistRejected}: the writer goes on); any
     * other failure (the disk) fails the call (Pekko's {@code onPersistFailure}).
     */
    private static Optional<Exception> rejectedOrFailed(Void stored, Throwable failure) {
        if (failure == null) {
            return Optional.empty();
        }
        Throwable cause = failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                ? c.getCause() : failure;
        if (cause instanceof IllegalArgumentException refused) {
            return Optional.of(refused);
        }
        throw failure instanceof java.util.concurrent.CompletionException c ? c
                : new java.util.concurrent.CompletionException(cause);
    }

    @SuppressWarnings("unchecked")
    private static List<StoredEvent> castEvents(Object events) {
        return (List<StoredEvent>) events;
    }

    @Override
    public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
        return FutureConverters.asScala(store.delete(persistenceId, toSequenceNr));
    }

    @Override
    public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr, long max,
                                              Consumer<PersistentRepr> replayCallback) {
        // reads and deserialisation run off the journal actor, so replays of different ids use every core;
        // each replay still calls back in order, from one thread
        return FutureConverters.asScala(CompletableFuture.runAsync(() -> {
            try {
                for (StoredEvent e : store.read(persistenceId, fromSequenceNr, toSequenceNr, max)) {
                    PersistentRepr repr = PersistentRepr.apply(serializing.fromBlob(e.payload()), e.sequenceNr(),
                            persistenceId, e.adapterManifest(), false, ActorRef.noSender(), e.writerUuid())
                            .withTimestamp(e.timestamp());
                    if (e.metadata() != null) {
                        repr = repr.withMetadata(serializing.fromBlob(e.metadata()));
                    }
                    replayCallback.accept(repr);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, encoders));
    }

    @Override
    public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
        return Futures.successful(store.highest(persistenceId));
    }

    @Override
    public void postStop() throws Exception {
        compaction.cancel();
        encoders.shutdown();
        SharedStores.release(store);
        super.postStop();
    }
}
