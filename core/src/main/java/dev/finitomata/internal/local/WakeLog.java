package dev.finitomata.internal.local;

import dev.finitomata.internal.protocol.WakesChanged;
import dev.finitomata.internal.runtime.FsmSettings;
import dev.finitomata.internal.runtime.IndexLog;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The durable wake index of one local supervisor: which of its FSMs have pending delayed transitions,
 * and when the earliest is due, so that after a JVM restart the supervisor wakes them when they fall due without the
 * application starting them (issue 26, point 3). It lives in the FSMs' own journal, under
 * {@code fsm-wakes|<supervisor id>}.
 *
 * <p>Design: the index is a hint, and the FSMs' journals win. An FSM remembers a delay before the write that schedules
 * it (so before any caller hears of it), and only when it is due earlier than what the index holds for it; it
 * forgets lazily (a later earliest, none left, its end). An entry that is stale after a crash costs a wake-up that
 * finds nothing due (or an FSM that does not run, which is then forgotten); one that is missing cannot happen for an
 * acknowledged delay. Nothing fires from the index itself: a woken FSM recovers from its journal and fires what is
 * due there, once, as it always does. It is an {@link IndexLog}: the supervisor batches the FSMs' changes into one
 * event per write, and snapshots bound a recovery to about twice the index. One index per supervisor id and journal:
 * two JVMs running the same local supervisor id on one shared journal would write the same persistence id.
 */
final class WakeLog {

    private WakeLog() {
    }

    /** The wake index's values as written: name to due time, or {@link WakesChanged#FORGET}. */
    private static final IndexLog.Format<Long, WakesChanged> FORMAT = new IndexLog.Format<>() {
        @Override
        public WakesChanged event(Map<String, Long> changes) {
            return new WakesChanged(changes);
        }

        @Override
        public Map<String, Long> changes(WakesChanged event) {
            return event.due();
        }

        @Override
        public boolean removes(Long due) {
            return due == WakesChanged.FORGET;
        }
    };

    /** The wake index of the local supervisor {@code supervisorId}; {@code recovered} receives it once recovered. */
    static IndexLog<Long, WakesChanged> create(String supervisorId, FsmSettings settings,
                                               ActorRef<IndexLog.Recovered<Long>> recovered) {
        return new IndexLog<>("fsm-wakes|" + supervisorId, settings, FORMAT, recovered);
    }

    /**
     * Waits (on the FSM's thread) until {@code written} says that the index holds the FSM {@code name}'s delay due at
     * {@code due}; false, with a WARN, if the index could not take it within {@code timeout}.
     */
    static boolean awaitWritten(CompletableFuture<Void> written, Duration timeout, String name, long due) {
        try {
            written.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LoggerFactory.getLogger(WakeLog.class).warn("FSM '{}': its delayed transition due at {} could not be "
                    + "written to the wake index ({}): it fires while this node runs, but after a restart only once "
                    + "the FSM is started", name, Instant.ofEpochMilli(due),
                    // a string: SLF4J takes a last Throwable argument for the stack trace, leaving {} unfilled
                    String.valueOf(e.getCause() != null ? e.getCause() : e));
            return false;
        }
    }

    /** How long the supervisor waits for a write before it gives the FSMs waiting for it up (they warn). */
    static Duration writeTimeout(FsmSettings settings) {
        return settings.askTimeout();
    }
}
