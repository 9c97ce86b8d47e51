package dev.finitomata.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.RecordingFsm;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.Test;

/**
 * A supervisor whose type name could not be read from the journal when it was created (the journal was down or slow)
 * reads it again on the next call that needs it, instead of failing for ever. Found in the 3-node cluster test: the
 * client node's first read timed out under load, and every later {@code history} call failed.
 */
class TypeNameRetryTest {

    @Test
    void aFailedReadOfTheTypeNameIsTriedAgain() {
        ActorTestKit kit = ActorTestKit.create("type-name-retry", PersistenceTestKitPlugin.config()
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.parseString("""
                        finitomata.ask-timeout = 1s
                        finitomata.restart-backoff.min = 50ms
                        finitomata.restart-backoff.max = 100ms
                        pekko.loglevel = OFF
                        """)).withFallback(ConfigFactory.load()));
        try {
            PersistenceTestKit journal = PersistenceTestKit.create(kit.system());
            journal.failNextNReads(TypePins.persistenceId("retried"), 1_000_000); // the journal is down
            Finitomata<Counter> fsms = Finitomata.create(kit.system(), "retried", RecordingFsm.class,
                    RecordingFsm::new);
            CompletionException down = assertThrows(CompletionException.class,
                    () -> fsms.history("a").toCompletableFuture().join());
            assertTrue(down.getMessage().contains("could not be read from its journal"), down.getMessage());

            journal.resetPolicy(); // the journal is back
            assertEquals(List.of(), fsms.history("a").toCompletableFuture().join());
            fsms.start("a", new Counter(0)).toCompletableFuture().join();
            assertEquals(1, fsms.history("a").toCompletableFuture().join().size());
        } finally {
            kit.shutdownTestKit();
        }
    }

    /**
     * A type name asked for once the ActorSystem's shutdown has begun is refused at once, and no pin actor is started:
     * one that started while the system terminated could not create its journal's plugin, and logged an ERROR (seen at
     * a test kit's shutdown, 2026-12-06).
     */
    @Test
    void aTypeNameAskedForWhileTheSystemShutsDownIsRefusedAtOnce() throws Exception {
        ActorTestKit kit = ActorTestKit.create("type-name-shutdown", PersistenceTestKitPlugin.config()
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.parseString("pekko.loglevel = OFF")).withFallback(ConfigFactory.load()));
        CompletableFuture<Done> held = new CompletableFuture<>();
        try {
            CoordinatedShutdown shutdown = CoordinatedShutdown.get(kit.system());
            shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "hold", () -> held);
            shutdown.run(CoordinatedShutdown.unknownReason()); // begun, held in its first phase
            CompletableFuture<String> pinned = TypePins.resolve(kit.system(),
                    FsmSettings.from(kit.system().settings().config()), "late", RecordingFsm.class)
                    .toCompletableFuture();
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> pinned.get(1, TimeUnit.SECONDS), "refused at once, not after the ask timeout");
            assertTrue(refused.getCause().getMessage().contains("its ActorSystem is shutting down"),
                    refused.getCause().getMessage());
        } finally {
            held.complete(Done.getInstance());
            kit.shutdownTestKit();
        }
    }
}
