package dev.finitomata.persistence.tck;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Lifecycle;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

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
            pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
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

    protected TestKit probe() {
        return new TestKit(system);
    }

    protected void subscribe(Class<?> type, ActorRef subscriber) {
        system.getEventStream().subscribe(subscriber, type);
    }
}
