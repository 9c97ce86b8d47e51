package dev.finitomata.persistence.ets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import dev.finitomata.persistence.ets.internal.EventLog;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.PersistentRepr;
import org.junit.jupiter.api.Test;

/** The per-persistence-id log under direct, multi-threaded use. */
class EventLogTest {

    private static PersistentRepr repr(String pid, long seq) {
        return PersistentRepr.apply("e" + seq, seq, pid, "", false, ActorRef.noSender(), "w");
    }

    @Test
    void deletedEventsAreReallyFreed() {
        EventLog log = new EventLog();
        Object[] big = {new byte[1024]};
        WeakReference<Object> ref = new WeakReference<>(big[0]);
        log.appendAll(List.of(repr("p", 1)), big);
        big[0] = null;
        log.appendAll(List.of(repr("p", 2)), new Object[] {"two"});
        log.deleteTo(1);
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
        }
        assertNull(ref.get(), "a deleted event's payload must become garbage");
        assertEquals(1, log.size());
        assertEquals(2, log.highest());
    }

    @Test
    void rejectsOutOfOrderSequenceNumbersAtomically() {
        EventLog log = new EventLog();
        log.appendAll(List.of(repr("p", 1), repr("p", 2)), new Object[] {"a", "b"});
        assertThrows(IllegalStateException.class,
                () -> log.appendAll(List.of(repr("p", 3), repr("p", 2)), new Object[] {"c", "d"}));
        assertEquals(2, log.size());
        assertEquals(2, log.highest());
    }

    @Test
    void concurrentWritersAndReadersOfOneLog() {
        EventLog log = new EventLog();
        int n = 20_000;
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= n; i++) {
                log.appendAll(List.of(repr("p", i)), new Object[] {i});
                if (i % 1000 == 0) {
                    log.deleteTo(i - 500);
                }
            }
        });
        while (!writer.isDone()) {
            List<PersistentRepr> read = log.read("p", 0, Long.MAX_VALUE, Long.MAX_VALUE);
            for (int i = 1; i < read.size(); i++) {
                assertEquals(read.get(i - 1).sequenceNr() + 1, read.get(i).sequenceNr());
            }
        }
        writer.join();
        assertEquals(IntStream.rangeClosed(n - 500 + 1, n).boxed().toList(),
                log.read("p", 0, Long.MAX_VALUE, Long.MAX_VALUE).stream().map(PersistentRepr::payload).toList());
    }
}
