package dev.finitomata.internal.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * INTERNAL API. The owner's side of an {@link IndexLog}: gathers changes while a write is in flight and writes them
 * together when it is done, one write at a time, so that the log keeps up with any rate of changes. Used on the
 * owner's thread only.
 *
 * @param <V> the value per name
 * @param <M> the owner's message type
 */
public final class IndexWrites<V, M> {

    /** A write is done ({@code failure} null) or given up: the owner hands this back to {@link #written}. */
    public record Done(List<CompletableFuture<Void>> waiting, Throwable failure) {
    }

    private final ActorContext<M> context;
    private final ActorRef<IndexLog.Command<V>> log;
    private final Duration timeout;
    private final Function<Done, M> wrap;
    private Map<String, V> changes = new HashMap<>();
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean writing;

    /**
     * @param timeout how long a write may take before the owner gives it up (those waiting for it fail)
     * @param wrap    the owner's message for a {@link Done}
     */
    public IndexWrites(ActorContext<M> context, ActorRef<IndexLog.Command<V>> log, Duration timeout,
                       Function<Done, M> wrap) {
        this.context = context;
        this.log = log;
        this.timeout = timeout;
        this.wrap = wrap;
    }

    /** Changes {@code name} to {@code value} in the next write; {@code written}, if not null, completes with it. */
    public void put(String name, V value, CompletableFuture<Void> written) {
        changes.put(name, value);
        if (written != null) {
            waiting.add(written);
        }
        flush();
    }

    /** Whether nothing is being written or waits to be. */
    public boolean idle() {
        return !writing && changes.isEmpty();
    }

    /** A write is done: completes what waited for it, and writes what was gathered meanwhile. */
    public void written(Done done) {
        writing = false;
        done.waiting().forEach(w -> {
            if (done.failure() == null) {
                w.complete(null);
            } else {
                w.completeExceptionally(done.failure());
            }
        });
        flush();
    }

    private void flush() {
        if (writing || changes.isEmpty()) {
            return;
        }
        Map<String, V> batch = changes;
        List<CompletableFuture<Void>> batchWaiting = waiting;
        changes = new HashMap<>();
        waiting = new ArrayList<>();
        writing = true;
        context.ask(IndexLog.Written.class, log, timeout, replyTo -> new IndexLog.Write<>(batch, replyTo),
                (written, failure) -> wrap.apply(new Done(batchWaiting, failure)));
    }
}
