package dev.finitomata.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmError;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.RecordingFsm;
import dev.finitomata.StartResult;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a network partition can do to one FSM, on PostgreSQL: for a moment, two incarnations of it run on two nodes
 * (the side being downed has not stopped it yet, the other side has already started it). Both recovered the same
 * journal; each then writes its next step with the same sequence number, and the journal's primary key lets only one
 * of them commit. The loser's call fails (it was never acknowledged), and the loser recovers the winner's step before
 * it takes the next one: no acknowledged transition is lost or overwritten, and no step is committed twice.
 */
class JdbcFencingTest {

    private final String database = EmbeddedPg.shared().freshDatabase("fencing");
    private final ActorTestKit left = node("left");
    private final ActorTestKit right = node("right");

    private ActorTestKit node(String name) {
        return ActorTestKit.create(name, ConfigFactory.parseString("""
                pekko.loglevel = ERROR
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "dev.finitomata.FsmLoggingFilter"
                finitomata.restart-backoff.min = 100ms
                finitomata.restart-backoff.max = 200ms
                """).withFallback(EmbeddedPg.shared().config(database)).withFallback(ConfigFactory.load()));
    }

    @AfterEach
    void stop() {
        left.shutdownTestKit();
        right.shutdownTestKit();
    }

    @Test
    void twoIncarnationsOfOneFsmNeverCommitTheSameStepTwice() throws Exception {
        FsmSupervisor<Counter> onLeft = Finitomata.create(left.system(), "split", RecordingFsm.class,
                RecordingFsm::new);
        FsmSupervisor<Counter> onRight = Finitomata.create(right.system(), "split", RecordingFsm.class,
                RecordingFsm::new);
        await(onLeft.start("order", new Counter(0)));
        await(onLeft.transitionAndWait("order", "start", null));
        // the right side loads it too: two incarnations, at the same step
        assertEquals(StartResult.LOADED, await(onRight.start("order", new Counter(0))));

        assertEquals(1, await(onLeft.transitionAndWait("order", "work", null)).payload().value());
        FsmTransitionException lost = failure(onRight.transitionAndWait("order", "work", null));
        assertEquals(FsmError.Stage.PERSIST, lost.error().stage(), lost.getMessage());

        // the loser restarted from the journal: its next step follows the winner's, and the stale left loses in turn
        int next = eventuallyWorks(onRight);
        assertEquals(2, next, "the right side continued from the left side's committed step");
        assertNotNull(failure(onLeft.transitionAndWait("order", "work", null)));
        assertEquals(3, eventuallyWorks(onLeft));

        try (Connection c = DriverManager.getConnection(EmbeddedPg.shared().url(database), EmbeddedPg.USER,
                EmbeddedPg.PASSWORD);
             PreparedStatement s = c.prepareStatement("SELECT count(*), count(DISTINCT sequence_number), "
                     + "max(sequence_number) FROM event_journal WHERE persistence_id LIKE ?")) {
            s.setString(1, "%order%");
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertEquals(r.getLong(1), r.getLong(2), "one event per sequence number");
                assertEquals(r.getLong(1), r.getLong(3), "no gap");
            }
        }
    }

    /** Retries "work" while the FSM is restarting from the journal; answers the count it reached. */
    private static int eventuallyWorks(FsmSupervisor<Counter> fsms) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                return await(fsms.transitionAndWait("order", "work", null)).payload().value();
            } catch (CompletionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static FsmTransitionException failure(CompletionStage<?> call) {
        try {
            await(call);
        } catch (CompletionException e) {
            if (e.getCause() instanceof FsmTransitionException t) {
                return t;
            }
            throw e;
        }
        throw new AssertionError("the call succeeded");
    }

    private static <T> T await(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(Duration.ofSeconds(15).toSeconds(), TimeUnit.SECONDS).join();
    }
}
