package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Finitomata;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.persistence.ets.Ets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/**
 * Every FSM diagram in the README and docs parses, and every Java example in them is an excerpt of code that is
 * compiled here (the samples' sources and tests), so no example can drift from the API.
 */
class DocsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern JAVA_TEXT_BLOCK = Pattern.compile("(?:parse|@FsmDiagram)\\(\"\"\"\\n(.*?)\"\"\"",
            Pattern.DOTALL);

    static List<String> diagrams() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
        }
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file);
            String language = null;
            StringBuilder block = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                if (line.startsWith("```")) {
                    if (language == null) {
                        language = line.substring(3).trim();
                        block.setLength(0);
                    } else {
                        if (language.isEmpty() && block.toString().contains("-->")) {
                            found.add(file.getFileName() + ":\n" + block);
                        }
                        language = null;
                    }
                } else if (language != null) {
                    block.append(line).append('\n');
                }
            }
            Matcher m = JAVA_TEXT_BLOCK.matcher(text);
            while (m.find()) {
                found.add(file.getFileName() + ":\n" + m.group(1));
            }
        }
        return found;
    }

    @Test
    void everyDiagramInTheDocsParses() throws IOException {
        List<String> diagrams = diagrams();
        assertTrue(diagrams.size() >= 5, "found " + diagrams.size() + " diagrams");
        for (String diagram : diagrams) {
            String text = diagram.substring(diagram.indexOf('\n') + 1).replace("    ", "");
            FsmDefinition.parse(text); // throws, naming the line, if a doc shows an invalid definition
        }
    }

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    /** Lines trimmed, inner runs of blanks collapsed, blank lines dropped: alignment and indentation may differ. */
    private static String normalized(String code) {
        StringBuilder out = new StringBuilder();
        for (String line : code.split("\n")) {
            String l = line.strip().replaceAll("\\s+", " ");
            if (!l.isEmpty()) {
                out.append(l).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void everyJavaExampleInTheDocsIsCompiledCode() throws IOException {
        StringBuilder compiled = new StringBuilder();
        for (String dir : List.of("src/main/java", "src/test/java")) {
            try (Stream<Path> sources = Files.walk(Path.of(dir))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    compiled.append(normalized(Files.readString(source))).append("\n");
                }
            }
        }
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        int examples = 0;
        List<String> drifted = new ArrayList<>();
        for (Path file : files) {
            Matcher m = JAVA_BLOCK.matcher(Files.readString(file));
            while (m.find()) {
                examples++;
                if (!compiled.toString().contains(normalized(m.group(1)))) {
                    drifted.add(file.getFileName() + ":\n" + m.group(1));
                }
            }
        }
        assertTrue(examples >= 8, "found only " + examples + " Java examples");
        assertTrue(drifted.isEmpty(), "these Java examples are not excerpts of compiled code in samples/src;"
                + " copy them from (or into) a compiled file:\n" + String.join("\n", drifted));
    }

    // ---- docs/definition-language.md ----
    static final FsmDefinition ORDER = FsmDefinition.parse("""
        idle --> |pay| paid
        paid --> |ship!| shipped
        """);

    @Test
    void theRuntimeExampleRuns() throws Exception {
        ActorTestKit testKit = ActorTestKit.create("docs", Ets.config().withFallback(ConfigFactory.load()));
        try {
            var system = testKit.system();
            Finitomata<Turnstile.Count> turnstiles = Finitomata.create(system, "turnstiles", Turnstile.class, Turnstile::new);
            turnstiles.start("gate-1", new Turnstile.Count(0));
            turnstiles.transitionAndWait("gate-1", "coin", null).thenAccept(s -> System.out.println(s.current()));
            var state = turnstiles.transitionAndWait("gate-1", "push", null).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals("locked", state.current());
            assertEquals(new Turnstile.Count(1), state.payload());
        } finally {
            testKit.shutdownTestKit();
        }
    }

    // ---- docs/definition-language.md, "Checked by javac" ----
    @Test
    void theCheckedLockerRunsOnItsGeneratedConstants() throws Exception {
        assertEquals(FsmDefinition.parse(LockerDefinition.DEFINITION.toMermaid()), LockerDefinition.DEFINITION);
        assertEquals(java.util.Set.of("locked", "unlocked"), LockerDefinition.States.ALL);
        ActorTestKit testKit = ActorTestKit.create("locker", Ets.config().withFallback(ConfigFactory.load()));
        try {
            Finitomata<Integer> lockers = Finitomata.create(testKit.system(), "lockers", Locker.class, Locker::new);
            lockers.start("front", 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
            var state = lockers.transitionAndWait("front", LockerDefinition.Events.UNLOCK, null).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals(LockerDefinition.States.UNLOCKED, state.current());
            assertEquals(1, state.payload());
        } finally {
            testKit.shutdownTestKit();
        }
    }
}
