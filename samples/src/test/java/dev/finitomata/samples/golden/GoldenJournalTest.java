package dev.finitomata.samples.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmState;
import dev.finitomata.Lifecycle;
import dev.finitomata.StartResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden journal: a file journal, a snapshot store and every persisted or wire message, written by the code of
 * 4ef5fa3 ({@link GoldenJournalWriter}) and committed under {@code src/test/resources/golden}. Today's code must read
 * all of it unchanged, whatever classes moved since (Pekko's Jackson class-name migrations map the old names).
 */
class GoldenJournalTest {

    private static final String FIXTURE = "/golden/";

    @TempDir
    Path dir;
    private ActorSystem<Void> system;

    @AfterEach
    void shutDown() throws Exception {
        if (system != null) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyMessageWrittenBeforeTheMoveReadsAsItWasWritten() throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "golden", GoldenJournalWriter.config(dir));
        Serialization serialization = SerializationExtension.get(system);
        List<String> lines = resource("messages.txt").lines().toList();
        assertEquals(GoldenJournalWriter.samples().size(), lines.size());
        for (String line : lines) {
            String[] cols = line.split("\t", 4);
            Object read = serialization.deserialize(Base64.getDecoder().decode(cols[2]), Integer.parseInt(cols[0]),
                    cols[1]).get();
            // fields added since read as their defaults: when a transition was committed, when a state was entered,
            // why a state could not be read (a journal outage)
            String now = read.toString().replace(", at=null]", "]").replace(", enteredAt=0]", "]");
            if (now.startsWith("StateReply[")) {
                now = now.replaceAll(", error=null]$", "]");
            }
            assertEquals(cols[3], now, "read with manifest " + cols[1]);
        }
    }

    @Test
    void fsmsJournaledBeforeTheMoveComeBackAsTheyWere() throws Exception {
        Path fixture = Path.of(Objects.requireNonNull(getClass().getResource(FIXTURE + "store")).toURI());
        Path store = dir.resolve("store");
        try (Stream<Path> files = Files.walk(fixture)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = store.resolve(fixture.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        system = ActorSystem.create(Behaviors.empty(), "golden", GoldenJournalWriter.config(store));
        Finitomata<GoldenFsm.Tally> fsms = Finitomata.create(system, GoldenJournalWriter.ID, GoldenFsm.class,
                GoldenFsm::new);
        GoldenFsm.Tally fresh = new GoldenFsm.Tally(-1, "fresh");

        // a snapshot after the third event, then replayed events
        assertEquals(StartResult.LOADED, await(fsms.start("g-1", fresh)));
        FsmState<GoldenFsm.Tally> g1 = await(fsms.state("g-1")).orElseThrow();
        assertEquals("open", g1.current());
        assertEquals(new GoldenFsm.Tally(4, "n+a0+a1+a2+a3"), g1.payload());
        assertEquals(List.of("open", "open", "open", "open"), g1.history());
        assertEquals(Lifecycle.LOADED, g1.lifecycle());

        // a delayed transition that fired, then a payload updated by the timer
        assertEquals(StartResult.LOADED, await(fsms.start("g-2", fresh)));
        FsmState<GoldenFsm.Tally> g2 = await(fsms.state("g-2")).orElseThrow();
        assertEquals("waiting", g2.current());
        assertEquals(new GoldenFsm.Tally(1001, "n+later"), g2.payload());

        // a delayed transition pending when the system stopped, overdue now: it fires once the FSM is loaded
        assertEquals(StartResult.LOADED, await(fsms.start("g-3", fresh)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Optional<FsmState<GoldenFsm.Tally>> g3 = await(fsms.state("g-3"));
        while (g3.map(s -> !s.current().equals("closed")).orElse(true) && System.nanoTime() < deadline) {
            g3 = await(fsms.state("g-3"));
        }
        assertEquals("closed", g3.orElseThrow().current());
        assertEquals(new GoldenFsm.Tally(1000, "n+due"), g3.get().payload());

        // finished and deleted FSMs start afresh
        assertEquals(StartResult.STARTED, await(fsms.start("g-4", fresh)));
        assertEquals(fresh, await(fsms.state("g-4")).orElseThrow().payload());
        assertEquals(StartResult.STARTED, await(fsms.start("g-5", fresh)));
        assertFalse(await(fsms.state("never")).isPresent());
        assertTrue(await(fsms.alive("g-1")));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(GoldenJournalTest.class.getResourceAsStream(FIXTURE + name),
                name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
