package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws IOException {
        return Demo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void builtInExample() throws IOException {
        assertEquals(0, run());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("entry:        created (via place)"), text);
        assertTrue(text.contains("hard events:  pack!"), text);
        assertTrue(text.contains("stateDiagram-v2"), text);
    }

    @Test
    void invalidFileListsProblems(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.mmd"), "idle --> |go| busy\nbusy --> |x!| a\nbusy --> |y| a\n");
        assertEquals(1, run(file.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 2, column 11: hard event 'x!'"), err::toString);
    }

    @Test
    void badUsage() throws IOException {
        assertEquals(2, run("--nope"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage:"));
    }
}
