package dev.finitomata.persistence.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Lifecycle;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol.WriteMessageSuccess;
import org.apache.pekko.persistence.JournalProtocol.WriteMessages;
import org.apache.pekko.persistence.JournalProtocol.WriteMessagesSuccessful$;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Shared set-up of the journal and snapshot store contract suites, as Pekko's TCK {@code PluginSpec}: one classic
 * ActorSystem per test class, a fresh persistence id and writer uuid per test, plugin commands published on the
 * event stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PluginContract {

    static final Config TCK_CONFIG = ConfigFactory.parseString("""
            pekko.persistence.publish-plugin-commands = on
            pekko.actor.serializers.persistence-tck-test = "dev.finitomata.persistence.tck.TestPayloadSerializer"
            pekko.actor.serialization-bindings { "dev.finitomata.persistence.tck.TestPayload" = persistence-tck-test }
            pekko.loglevel = WARNING
            pekko.stdout-loglevel = WARNING
            pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
            pekko.logging-filter = "dev.finitomata.FsmLoggingFilter"
            """);

    private static final AtomicInteger COUNTER = new AtomicInteger();

    protected ActorSystem system;
    protected Persistence extension;
    protected String pid;
    protected String writerUuid;

    /** The configuration selecting the plugin under test (as Pekko's default journal / snapshot store). */
    protected abstract Config config();

    @BeforeAll
    void startSystem() {
        system = ActorSystem.create(getClass().getSimpleName(), config().withFallback(TCK_CONFIG)
                .withFallback(ConfigFactory.load()));
        extension = Persistence.get(system);
    }

    @AfterAll
    void stopSystem() {
        TestKit.shutdownActorSystem(system);
    }

    @BeforeEach
    void nextPersistenceId() {
        pid = "p-" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID();
        writerUuid = UUID.randomUUID().toString();
    }

    protected static final int ACTOR_INSTANCE_ID = 1;

    protected ActorRef journal() {
        return extension.journalFor(null, com.typesafe.config.ConfigFactory.empty());
    }

    protected static <T> Seq<T> seq(List<T> list) {
        return CollectionConverters.asScala(list).toSeq();
    }

    protected static PersistentRepr repr(Object payload, long seq, String pid, ActorRef sender, String writer) {
        return PersistentRepr.apply(payload, seq, pid, "", false, sender, writer);
    }

    /** Writes {@code from..to} as single atomic writes, the last two as one atomic write of two events. */
    protected void writeMessages(int from, int to, String pid, ActorRef sender, String writer) {
        List<PersistentEnvelope> writes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (i == to - 1) {
                writes.add(new AtomicWrite(seq(List.of(repr("a-" + i, i, pid, sender, writer),
                        repr("a-" + (i + 1), i + 1, pid, sender, writer)))));
            } else {
                writes.add(AtomicWrite.apply(repr("a-" + i, i, pid, sender, writer)));
            }
        }
        TestKit probe = probe();
        journal().tell(new WriteMessages(seq(writes), probe.getRef(), ACTOR_INSTANCE_ID), ActorRef.noSender());
        probe.expectMsg(WriteMessagesSuccessful$.MODULE$);
        for (int i = from; i <= to; i++) {
            PersistentRepr p = probe.expectMsgClass(WriteMessageSuccess.class).persistent();
            assertEquals("a-" + i, p.payload());
            assertEquals(i, p.sequenceNr());
            assertEquals(pid, p.persistenceId());
            assertEquals(sender, p.sender());
            assertEquals(writer, p.writerUuid());
        }
    }

    protected TestKit probe() {
        return new TestKit(system);
    }

    protected void subscribe(Class<?> type, ActorRef subscriber) {
        system.getEventStream().subscribe(subscriber, type);
    }
}
