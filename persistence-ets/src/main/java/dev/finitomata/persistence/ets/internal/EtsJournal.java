package dev.finitomata.persistence.ets.internal;

import com.typesafe.config.Config;
import dev.finitomata.FsmFailed;
import dev.finitomata.internal.protocol.ErrorCleared;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.japi.pf.ReceiveBuilder;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import scala.PartialFunction;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * INTERNAL API. The ETS journal plugin ({@code finitomata.persistence.ets.journal}).
 *
 * <p>Design: every call completes synchronously inside the journal actor (memory is fast; there is nothing to wait
 * for), against the JVM-wide {@link TableStore} named by {@code table}. An atomic write is stored under the lock of
 * its persistence id's log only. A payload that fails the serialization check rejects its atomic write alone. The
 * journal also listens to its ActorSystem's event stream for FSM failures and records them as the table's last errors
 * ({@code EtsTable.lastError}); a success or an erasure clears them.
 */
public final class EtsJournal extends AsyncWriteJournal {

    private final TableStore table;
    private final PayloadCheck check;

    /** Called by Pekko with the plugin's configuration. */
    public EtsJournal(Config config) {
        this.table = TableStore.named(config.getString("table"));
        this.check = new PayloadCheck(context().system(), config);
        context().system().eventStream().subscribe(self(), FsmFailed.class);
        context().system().eventStream().subscribe(self(), ErrorCleared.class);
    }

    @Override
    public PartialFunction<Object, BoxedUnit> receivePluginInternal() {
        AbstractActor.Receive receive = ReceiveBuilder.create()
                .match(FsmFailed.class, failed -> table.failed(failed.persistenceId(), failed.error()))
                .match(ErrorCleared.class, cleared -> table.cleared(cleared.persistenceId()))
                .build();
        return receive.onMessage();
    }

    @Override
    public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
        List<Optional<Exception>> results = new ArrayList<>();
        try {
            for (AtomicWrite write : messages) {
                results.add(write(write));
            }
        } catch (RuntimeException e) {
            return Futures.failed(e);
        }
        return Futures.successful(results);
    }

    private Optional<Exception> write(AtomicWrite write) {
        List<PersistentRepr> reprs = CollectionConverters.asJava(write.payload());
        Object[] payloads = new Object[reprs.size()];
        try {
            for (int i = 0; i < payloads.length; i++) {
                Object payload = reprs.get(i).payload();
                payloads[i] = check.prepare(payload instanceof Tagged tagged ? tagged.payload() : payload);
            }
        } catch (Exception e) {
            return Optional.of(e);
        }
        EventLog log = table.events(write.persistenceId());
        log.appendAll(reprs, payloads);
        return Optional.empty();
    }

    @Override
    public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
        EventLog log = table.eventsIfPresent(persistenceId);
        if (log != null) {
            log.deleteTo(toSequenceNr);
        }
        return Futures.successful(null);
    }

    @Override
    public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr, long max,
                                              Consumer<PersistentRepr> replayCallback) {
        EventLog log = table.eventsIfPresent(persistenceId);
        if (log != null && max > 0) {
            log.read(persistenceId, fromSequenceNr, toSequenceNr, max).forEach(replayCallback);
        }
        return Futures.successful(null);
    }

    @Override
    public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
        EventLog log = table.eventsIfPresent(persistenceId);
        return Futures.successful(log == null ? 0L : log.highest());
    }
}
