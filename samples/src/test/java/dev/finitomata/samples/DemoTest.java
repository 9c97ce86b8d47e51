package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.finitomata.sharding.it.NodeProcessTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@NodeProcessTest
class DemoTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return Demo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsOrdersThroughACrashAndResumesFromTheJournal(@TempDir Path data) throws Exception {
        assertEquals(0, run("--orders", "300", "--data", data.toString()), err::toString);
        String first = out();
        assertTrue(first.contains("| orders confirmed |"), first);
        assertTrue(first.contains("| orders cancelled |"), first);
        assertTrue(first.contains("| orders not final | 0 |"), first);
        assertTrue(java.util.regex.Pattern.compile(">>> kill -9 of node-\\d, the oldest node").matcher(first).find(),
                first);
        assertTrue(first.contains("| ERROR lines in the nodes' logs | 0 |"), first);
        assertTrue(Files.readString(data.resolve("order.mmd")).startsWith("stateDiagram-v2"));
        out.reset();
        assertEquals(0, run("--orders", "300", "--data", data.toString()), err::toString);
        assertTrue(out().contains("| orders not final | 0 |"), out());
        assertTrue(out().contains("transitions made (awaited, committed) | 0 in"), "nothing is done twice: " + out());
        assertTrue(!out().contains("orders restored from the journal (a previous run, or after the crash) | 0 |"), out());
    }

    @Test
    void printsTheDefinition() throws Exception {
        assertEquals(0, run("--definition"));
        assertTrue(out().contains("hard events:  pack!"), out());
        assertTrue(out().contains("soft events:  deliver?"), out());
    }

    @Test
    void invalidDefinitionFileListsProblems(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.mmd"), "idle --> |go| busy\nbusy --> |x!| a\nbusy --> |y| a\n");
        assertEquals(1, run("--definition", file.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 2, column 11: hard event 'x!'"),
                err::toString);
    }

    @Test
    void badFlagsPrintUsage() throws Exception {
        assertEquals(2, run("--nope"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown argument '--nope'"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: Demo"));
        assertEquals(2, run("--orders", "many"));
    }
}
