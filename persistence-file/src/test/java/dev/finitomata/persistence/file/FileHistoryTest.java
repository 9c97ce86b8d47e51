package dev.finitomata.persistence.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.RecordingFsm;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History after a restart: a new ActorSystem on the same directory reads the story of a running FSM and of a
 * finished one from the journal on disk, before anything starts them.
 */
class FileHistoryTest {

    @TempDir
    Path dir;

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static List<String> steps(List<FsmHistoryEntry<Counter>> history) {
        return history.stream().map(e -> e.from() + ">" + e.event() + ">" + e.to()).toList();
    }

    @Test
    void aNewActorSystemReadsEveryStoryBeforeAnythingStarts() throws Exception {
        ActorTestKit first = ActorTestKit.create("first", FileConfigs.config(dir).withFallback(ConfigFactory.load()));
        List<String> running;
        List<String> finished;
        try {
            Finitomata<Counter> fsms = Finitomata.create(first.system(), "loans", RecordingFsm.class,
                    RecordingFsm::new);
            await(fsms.start("running", new Counter(1)));
            await(fsms.transitionAndWait("running", "start", null));
            await(fsms.start("finished", new Counter(2)));
            await(fsms.transitionAndWait("finished", "start", null));
            await(fsms.transitionAndWait("finished", "stop", null));
            await(fsms.transitionAndWait("finished", "__end__", null));
            running = steps(await(fsms.history("running")));
            finished = steps(await(fsms.history("finished")));
        } finally {
            first.shutdownTestKit();
        }
        assertEquals(List.of("*>__start__>idle", "idle>start>working"), running);
        assertEquals(List.of("*>__start__>idle", "idle>start>working", "working>stop>done", "done>__end__>*"),
                finished);

        ActorTestKit second = ActorTestKit.create("second", FileConfigs.config(dir).withFallback(ConfigFactory.load()));
        try {
            Finitomata<Counter> fsms = Finitomata.create(second.system(), "loans", RecordingFsm.class,
                    RecordingFsm::new);
            assertEquals(running, steps(await(fsms.history("running"))));
            assertEquals(finished, steps(await(fsms.history("finished"))));
            assertEquals(new Counter(1), await(fsms.history("running")).get(0).payload());
            assertEquals(0, await(fsms.count()));               // nothing was started in this system
            assertEquals(Optional.empty(), await(fsms.state("finished")));
            assertEquals(List.of(), await(fsms.history("never")));
        } finally {
            second.shutdownTestKit();
        }
    }
}
