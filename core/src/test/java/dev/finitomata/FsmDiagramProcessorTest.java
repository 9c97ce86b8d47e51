package dev.finitomata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.definition.FsmDefinitionException;
import dev.finitomata.definition.FsmDiagnostic;
import dev.finitomata.definition.Problem;
import dev.finitomata.internal.diagram.FsmDiagramProcessor;
import java.io.File;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code @FsmDiagram} processor, run by javac ({@code javax.tools}) on fixture sources, as a user's build does. */
class FsmDiagramProcessorTest {

    private static final String ORDER = """
            idle --> |pay| paid
            paid --> |ship!| shipped
            idle --> |cancel?| cancelled
            """;

    @TempDir
    Path dir;

    /** What javac said, and where it put the classes. */
    private record Compiled(boolean ok, List<Diagnostic<? extends JavaFileObject>> diagnostics, Path classes) {

        List<String> errors() {
            return messages(Diagnostic.Kind.ERROR);
        }

        List<String> warnings() {
            return messages(Diagnostic.Kind.WARNING);
        }

        private List<String> messages(Diagnostic.Kind kind) {
            return diagnostics.stream().filter(d -> d.getKind() == kind).map(d -> d.getMessage(null)).toList();
        }
    }

    /** Compiles {@code files} (path → content; {@code .java} files are compiled, the rest are just there). */
    private Compiled compile(Map<String, String> files) throws IOException {
        Path src = dir.resolve("src");
        Path out = Files.createDirectories(dir.resolve("classes"));
        List<File> sources = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path path = src.resolve(f.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, f.getValue());
            if (f.getKey().endsWith(".java")) {
                sources.add(path.toFile());
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files2 = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            // as a user's build: the processor is found on the class path through META-INF/services
            List<String> options = List.of("-proc:full", "-classpath", System.getProperty("java.class.path"),
                    "-sourcepath", src.toString(), "-d", out.toString(), "-Xlint:-options");
            boolean ok = javac.getTask(null, files2, diagnostics, options, null,
                    files2.getJavaFileObjectsFromFiles(sources)).call();
            return new Compiled(ok, diagnostics.getDiagnostics(), out);
        }
    }

    private static String fsm(String name, String annotation) {
        return fsm(name, annotation, "");
    }

    /** An FsmBehavior fixture in package {@code shop}, annotated with {@code annotation}. */
    private static String fsm(String name, String annotation, String body) {
        return """
                package shop;

                import dev.finitomata.FsmBehavior;
                import dev.finitomata.FsmContext;
                import dev.finitomata.FsmDiagram;
                import dev.finitomata.definition.FsmDefinition;

                %s
                public final class %s extends FsmBehavior<Integer> {
                    public %s(FsmContext context) {
                        super(context);
                    }

                    @Override
                    protected FsmDefinition definition() {
                        return null;
                    }
                %s
                }
                """.formatted(annotation, name, name, body);
    }

    private static String inline(String diagram) {
        return "@FsmDiagram(\"\"\"\n" + diagram.stripTrailing() + "\n\"\"\")";
    }

    @Test
    void aGoodDiagramGivesConstantsUsableAsSwitchCases() throws Exception {
        String body = """
                    @Override
                    protected dev.finitomata.Transition<Integer> onTransition(String state, String event,
                            Object eventPayload, Integer payload) throws Exception {
                        return switch (event) {
                            case OrderDefinition.Events.PAY -> dev.finitomata.Transition.to(
                                    OrderDefinition.States.PAID, payload + 1);
                            case OrderDefinition.Events.SHIP, OrderDefinition.Events.CANCEL ->
                                    super.onTransition(state, event, eventPayload, payload);
                            default -> throw new IllegalStateException(event);
                        };
                    }
                """;
        Compiled c = compile(Map.of("shop/Order.java", fsm("Order", inline(ORDER), body)));
        assertTrue(c.ok(), c.diagnostics().toString());
        assertEquals(List.of(), c.errors());
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {c.classes().toUri().toURL()},
                getClass().getClassLoader())) {
            Class<?> generated = loader.loadClass("shop.OrderDefinition");
            assertEquals(FsmDefinition.parse(ORDER), generated.getField("DEFINITION").get(null));
            Class<?> states = loader.loadClass("shop.OrderDefinition$States");
            Class<?> events = loader.loadClass("shop.OrderDefinition$Events");
            assertEquals("paid", states.getField("PAID").get(null));
            assertEquals("ship!", events.getField("SHIP").get(null), "'!' dropped from the name, kept in the value");
            assertEquals("cancel?", events.getField("CANCEL").get(null));
            assertEquals("__start__", events.getField("__START__").get(null));
            assertEquals(List.of("idle", "paid", "shipped", "cancelled"), List.copyOf((Set<?>) states.getField("ALL")
                    .get(null)));
            assertEquals(FsmDefinition.parse(ORDER).events(), events.getField("ALL").get(null));
            assertTrue(java.lang.reflect.Modifier.isFinal(generated.getModifiers()));
        }
        String source = Files.readString(c.classes().resolve("shop/OrderDefinition.java"));
        assertTrue(source.contains(" * paid --&gt; |ship!| shipped"), "the Javadoc shows the diagram:\n" + source);
    }

    private Path findGenerated(String name) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
        }
    }

    @Test
    void everyValidationRuleIsAJavacErrorWithTheParsersLineAndColumn() throws Exception {
        Map<Problem, String> broken = new LinkedHashMap<>();
        broken.put(Problem.SYNTAX, "[*] --> a : i\na --> b\nb --> [*] : done\n");
        broken.put(Problem.INITIAL_STATE, "[*] --> a : i\n[*] --> b : j\na --> [*] : x\nb --> [*] : y\n");
        broken.put(Problem.FINAL_STATE, "start --> |x| a\na --> |y| b\nb --> |z| a\n");
        broken.put(Problem.ORPHAN_STATE, "[*] --> a : i\na --> [*] : x\na --> c : y\n");
        broken.put(Problem.UNREACHABLE_STATE,
                "[*] --> a : i\na --> [*] : x\nb --> c : y\nc --> b : z\nc --> [*] : w\n");
        broken.put(Problem.HARD_EVENT_NOT_DETERMINED, "idle --> |go| busy\nbusy --> |done!| idle2\n"
                + "busy --> |cancel| idle2\n");
        Map<String, String> files = new LinkedHashMap<>();
        int i = 0;
        for (String diagram : broken.values()) {
            files.put("shop/Broken" + i + ".java", fsm("Broken" + i++, inline(diagram)));
        }
        Compiled c = compile(files);
        assertTrue(!c.ok());
        i = 0;
        for (Map.Entry<Problem, String> rule : broken.entrySet()) {
            String fixture = "Broken" + i++;
            List<FsmDiagnostic> expected = problems(rule.getValue());
            assertEquals(rule.getKey(), expected.get(0).problem());
            List<String> reported = c.errors().stream().filter(m -> m.contains("of " + fixture + " (")).toList();
            assertEquals(expected.size(), reported.size(), fixture + ": every problem, not only the first: "
                    + c.errors());
            for (int k = 0; k < expected.size(); k++) {
                FsmDiagnostic problem = expected.get(k);
                String message = reported.get(k);
                assertTrue(message.contains(problem.problem().toString()), message);
                assertTrue(message.endsWith(problem.message()), message + " should end with " + problem.message());
                if (problem.line() > 0) {
                    assertTrue(message.contains("line " + problem.line() + ", column " + problem.column() + ": "),
                            message);
                } else {
                    assertTrue(message.contains("whole diagram: "), message);
                }
            }
        }
        // the error sits on the annotation of the class, in the user's source file
        Diagnostic<? extends JavaFileObject> first = c.diagnostics().stream()
                .filter(d -> d.getMessage(null).contains("Broken0")).findFirst().orElseThrow();
        assertTrue(first.getSource().getName().endsWith("Broken0.java"));
        assertEquals(8, first.getLineNumber(), "the line of @FsmDiagram in the fixture");
    }

    private static List<FsmDiagnostic> problems(String diagram) {
        try {
            FsmDefinition.parse(diagram);
            throw new AssertionError("valid: " + diagram);
        } catch (FsmDefinitionException e) {
            return e.problems();
        }
    }

    @Test
    void ambiguousPairsAreWarnings() throws Exception {
        Compiled c = compile(Map.of("shop/Fork.java", fsm("Fork", inline("""
                idle --> |go| a
                idle --> |go| b
                a --> |done| end
                b --> |done| end
                """))));
        assertTrue(c.ok(), c.diagnostics().toString());
        assertEquals(1, c.warnings().stream().filter(w -> w.contains("FSM diagram of Fork: event 'go' in state "
                + "'idle' has 2 targets")).count(), c.warnings().toString());
    }

    @Test
    void aDiagramFileNextToTheClassIsRead() throws Exception {
        Compiled c = compile(Map.of("shop/Order.java", fsm("Order", "@FsmDiagram(resource = \"order.mmd\")"),
                "shop/order.mmd", ORDER, "shop/Root.java", fsm("Root", "@FsmDiagram(resource = \"/root.mmd\")"),
                "root.mmd", ORDER));
        assertTrue(c.ok(), c.diagnostics().toString());
        assertTrue(Files.exists(findGenerated("OrderDefinition.class")));
        assertTrue(Files.exists(findGenerated("RootDefinition.class")));
    }

    @Test
    void aBrokenDiagramFileNamesTheFile() throws Exception {
        String diagram = "[*] --> a : i\na --> b\nb --> [*] : done\n";
        Compiled c = compile(Map.of("shop/Order.java", fsm("Order", "@FsmDiagram(resource = \"order.mmd\")"),
                "shop/order.mmd", diagram));
        assertEquals(List.of("invalid FSM diagram of Order (order.mmd SYNTAX): " + problems(diagram).get(0).message()),
                c.errors());
        assertTrue(c.errors().get(0).contains("): line 2, column "), c.errors().toString());
    }

    @Test
    void aMissingResourceIsAClearError() throws Exception {
        Compiled c = compile(Map.of("shop/Order.java", fsm("Order", "@FsmDiagram(resource = \"nope.mmd\")")));
        assertEquals(List.of("FSM diagram resource 'nope.mmd' of Order not found: put it at shop/nope.mmd in "
                + "src/main/resources or next to the class's source (looked in the source path, the class output "
                + "and the class path)"), c.errors());
    }

    @Test
    void misuseIsAClearError() throws Exception {
        Compiled c = compile(Map.of(
                "shop/Both.java", fsm("Both", "@FsmDiagram(value = \"a --> |x| b\", resource = \"b.mmd\")"),
                "shop/None.java", fsm("None", "@FsmDiagram"),
                "shop/Plain.java", "package shop;\n@dev.finitomata.FsmDiagram(\"a --> |x| b\")\nclass Plain {}\n",
                "shop/Clash.java", fsm("Clash", inline("idle --> |go| busy\nbusy --> |go!| done\n")),
                "shop/All.java", fsm("All", inline("idle --> |go| all\n"))));
        String errors = String.join("\n", c.errors());
        assertEquals(5, c.errors().size(), errors);
        assertTrue(errors.contains("@FsmDiagram of Both has both value and resource"), errors);
        assertTrue(errors.contains("@FsmDiagram of None has no diagram: give it inline (value = \"\"\"...\"\"\") or "
                + "as a file next to the class (resource = \"none.mmd\")"), errors);
        assertTrue(errors.contains("@FsmDiagram belongs on a class that extends dev.finitomata.FsmBehavior; "
                + "shop.Plain does not"), errors);
        assertTrue(errors.contains("FSM diagram of Clash: events 'go' and 'go!' would both be Events.GO: rename one "
                + "of them"), errors);
        assertTrue(errors.contains("FSM diagram of All: state 'all' would be States.ALL, which is the set of every "
                + "state: rename it"), errors);
    }

    @Test
    void constantNames() {
        Map<String, String> names = new LinkedHashMap<>();
        for (String name : List.of("idle", "go!", "retry?", "payNow", "HTTPCall", "step2Done", "__start__",
                "already_snake", "A")) {
            names.put(name, dev.finitomata.internal.diagram.FsmDiagramProcessor.constant(name));
        }
        assertEquals("idle=IDLE, go!=GO, retry?=RETRY, payNow=PAY_NOW, HTTPCall=HTTP_CALL, step2Done=STEP2_DONE, "
                        + "__start__=__START__, already_snake=ALREADY_SNAKE, A=A",
                names.entrySet().stream().map(Object::toString).collect(Collectors.joining(", ")));
    }
}
