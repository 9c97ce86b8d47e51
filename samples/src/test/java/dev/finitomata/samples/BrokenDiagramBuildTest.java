package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.definition.FsmDefinitionException;
import dev.finitomata.definition.FsmDiagnostic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real Maven build of {@code samples/broken-diagram}, a module whose {@code @FsmDiagram} file is broken on purpose,
 * fails, and Maven shows javac's errors: the parser's own messages, with the diagram's line and column.
 */
class BrokenDiagramBuildTest {

    @Test
    void aModuleWithABrokenDiagramFailsToCompileWithTheParsersMessages() throws Exception {
        Path root = Path.of(System.getProperty("finitomata.root", "..")).toAbsolutePath().normalize();
        String mavenHome = System.getProperty("finitomata.maven.home");
        assertFalse(mavenHome == null || mavenHome.isBlank(), "run by Maven: finitomata.maven.home is not set");
        String diagram = Files.readString(root.resolve(
                "samples/broken-diagram/src/main/resources/dev/finitomata/broken/door.mmd"));
        List<FsmDiagnostic> problems;
        try {
            FsmDefinition.parse(diagram);
            throw new AssertionError("door.mmd must be broken");
        } catch (FsmDefinitionException e) {
            problems = e.problems();
        }
        Path log = Files.createTempFile("broken-diagram", ".log");
        Process mvn = new ProcessBuilder(Path.of(mavenHome, "bin", "mvn").toString(), "-B", "-ntp", "-o", "-q",
                "-Dmaven.repo.local=" + System.getProperty("finitomata.maven.repo"), "-f",
                root.resolve("pom.xml").toString(), "-P", "broken-diagram", "-pl", "samples/broken-diagram", "-am",
                "compile")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(mvn.waitFor(4, TimeUnit.MINUTES), "the Maven build did not end within 4 minutes");
        } finally {
            mvn.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertNotEquals(0, mvn.exitValue(), "the build must fail:\n" + output);
        assertTrue(output.contains("BUILD FAILURE") || output.contains("COMPILATION ERROR"), output);
        List<String> lines = output.lines().toList();
        for (FsmDiagnostic problem : problems) {
            // javac's error, on line 9 of Door.java (the annotation), as Maven prints it
            String expected = "invalid FSM diagram of Door (door.mmd " + problem.problem() + "): " + problem.message();
            assertTrue(lines.stream().anyMatch(l -> l.contains("Door.java:[9") && l.endsWith(expected)),
                    "expected in the build's output: " + expected + "\n" + output);
        }
        assertEquals(List.of(3, 5), problems.stream().map(FsmDiagnostic::line).toList(), "door.mmd's two mistakes");
        Files.delete(log);
    }
}
