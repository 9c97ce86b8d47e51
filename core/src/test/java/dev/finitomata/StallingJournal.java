package dev.finitomata;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.spi.StoreCheck;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;

/**
 * A journal plugin in front of Pekko's inmem journal whose writes can be held ({@link #stall}) and let go
 * ({@link #release}), the way a pool holds a write that waits for a connection; and its own {@link StoreCheck}
 * ({@link Check}), which counts its calls and fails while the store is {@link #unreachable}. JVM-wide.
 */
public final class StallingJournal extends AbstractActor {

    public static final String PATH = "finitomata.test.stalling-journal";
    private static volatile boolean stalled;
    private static volatile boolean unreachable;
    private static volatile boolean readsStalled;
    private static final java.util.concurrent.atomic.AtomicBoolean FAIL_NEXT_WRITE =
            new java.util.concurrent.atomic.AtomicBoolean();
    private static final Queue<Object[]> HELD = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger CHECKS = new AtomicInteger();

    private ActorRef journal;

    /** Settings of an ActorSystem whose FSMs use this journal, and the inmem journal and local snapshot store. */
    public static Config config() {
        return ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "%1$s"
                %1$s.class = "%2$s"
                %1$s.finitomata-check = "%3$s"
                pekko.persistence.journal.inmem.test-serialization = on
                pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
                pekko.persistence.snapshot-store.local.dir = "target/snapshots-%4$d"
                """.formatted(PATH, StallingJournal.class.getName(), Check.class.getName(), System.nanoTime()));
    }

    /** From now on, writes are held. */
    public static void stall() {
        stalled = true;
    }

    /** Writes go through again, the held ones first. */
    public static void release() {
        stalled = false;
        Object[] held;
        while ((held = HELD.poll()) != null) {
            ((ActorRef) held[0]).tell(held[1], ActorRef.noSender());
        }
    }

    /** The next write fails, as one does that waited too long for a pool connection. */
    public static void failNextWrite() {
        FAIL_NEXT_WRITE.set(true);
    }

    /** Whether reads (replays, and the outage probe's question) are held; {@code false} lets the held ones go. */
    public static void stallReads(boolean value) {
        readsStalled = value;
        if (!value) {
            release();
        }
    }

    /** Whether the store's own check fails. */
    public static void unreachable(boolean value) {
        unreachable = value;
    }

    /** How often the store's own check ran. */
    public static int checks() {
        return CHECKS.get();
    }

    @Override
    public void preStart() {
        journal = Persistence.get(getContext().getSystem()).journalFor("pekko.persistence.journal.inmem",
                ConfigFactory.empty());
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(JournalProtocol.WriteMessages.class, w -> FAIL_NEXT_WRITE.compareAndSet(true, false),
                        this::fail)
                .match(JournalProtocol.WriteMessages.class, w -> stalled, w -> HELD.add(new Object[] {journal, w}))
                .match(JournalProtocol.ReplayMessages.class, r -> readsStalled,
                        r -> HELD.add(new Object[] {journal, r}))
                .matchAny(m -> journal.forward(m, getContext()))
                .build();
    }

    private void fail(JournalProtocol.WriteMessages write) {
        Exception cause = new java.sql.SQLTransientConnectionException(
                "db - Connection is not available, request timed out after 1000ms (a test)");
        java.util.List<org.apache.pekko.persistence.PersistentRepr> written = new java.util.ArrayList<>();
        for (var envelope : scala.jdk.javaapi.CollectionConverters.asJava(write.messages())) {
            if (envelope instanceof org.apache.pekko.persistence.AtomicWrite atomic) {
                written.addAll(scala.jdk.javaapi.CollectionConverters.asJava(atomic.payload()));
            }
        }
        write.persistentActor().tell(new JournalProtocol.WriteMessagesFailed(cause, written.size()), getSelf());
        written.forEach(repr -> write.persistentActor().tell(new JournalProtocol.WriteMessageFailure(repr, cause,
                write.actorInstanceId()), getSelf()));
    }

    /** The store's own check: fails while the store is unreachable. */
    public static final class Check implements StoreCheck {
        @Override
        public void check(Config config, String pluginPath) throws java.sql.SQLException {
            CHECKS.incrementAndGet();
            if (unreachable) {
                throw new java.sql.SQLException("Connection to 127.0.0.1:5432 refused (a test)");
            }
        }
    }
}
