package dev.finitomata.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/**
 * Checks of the stores started at the same moment all answer. Their probe actors were named after
 * {@code System.nanoTime()}: a facade's first call checks the journal and the snapshot store at once, and in one CI run
 * both got the same name; the second probe was never created, and the call failed after
 * {@code finitomata.plugin-check-timeout} saying the snapshot store "did not answer" ({@code LocalOutageTest}).
 */
class PluginCheckProbesTest {

    @Test
    void manyChecksStartedTogetherAllAnswer() throws Exception {
        ActorTestKit kit = ActorTestKit.create("plugin-check-probes", ConfigFactory.parseString("""
                pekko.loglevel = OFF
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
                pekko.persistence.snapshot-store.local.dir = "target/plugin-check-probes"
                """).withFallback(ConfigFactory.load()));
        try {
            List<CompletableFuture<Void>> checks = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                checks.add(i % 2 == 0
                        ? PluginCheck.ask(kit.system(), "journal", "", PluginCheck::journalQuestion,
                                Duration.ofSeconds(20))
                        : PluginCheck.ask(kit.system(), "snapshot store", "", PluginCheck::snapshotQuestion,
                                Duration.ofSeconds(20)));
            }
            int failed = 0;
            for (CompletableFuture<Void> check : checks) {
                try {
                    check.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failed++;
                }
            }
            assertEquals(0, failed, "checks that did not answer");
        } finally {
            kit.shutdownTestKit();
        }
    }
}
