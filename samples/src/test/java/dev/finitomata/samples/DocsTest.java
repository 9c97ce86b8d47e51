package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Transition;
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

/** Every FSM diagram in the README and docs parses, and the docs' Java examples compile and run. */
class DocsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern JAVA_TEXT_BLOCK = Pattern.compile("parse\\(\"\"\"\\n(.*?)\"\"\"", Pattern.DOTALL);

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

    // ---- docs/runtime.md: begin ----
    public static final class Turnstile extends FsmBehavior<Turnstile.Count> {
        public record Count(int coins) { }

        static final FsmDefinition FSM = FsmDefinition.parse("""
            [*] --> locked : install
            locked --> unlocked : coin
            unlocked --> locked : push
            locked --> [*] : retire
            """);

        public Turnstile(FsmContext context) { super(context); }

        @Override protected FsmDefinition definition() { return FSM; }

        @Override
        protected Transition<Count> onTransition(String state, String event, Object arg, Count count) throws Exception {
            return switch (event) {
                case "coin" -> Transition.to("unlocked", new Count(count.coins() + 1));
                default -> super.onTransition(state, event, arg, count); // the event's only target, payload unchanged
            };
        }
    }
    // ---- docs/runtime.md: end ----

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
}
