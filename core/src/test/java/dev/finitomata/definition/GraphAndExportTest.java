package dev.finitomata.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GraphAndExportTest {

    private static final FsmDefinition FLOW = FsmDefinition.parse(ParsingTest.FLOWCHART);

    @Test
    void shortestPath() {
        FsmPath path = FLOW.shortestPath("idle", "s3").orElseThrow();
        assertEquals(List.of("to_s1", "to_s3"), path.events());
        assertEquals(List.of("idle", "s1", "s3"), path.states());
        assertEquals(Optional.empty(), FLOW.shortestPath("s3", "idle"));
        assertEquals(List.of(), FLOW.shortestPath("s1", "s1").orElseThrow().steps());
        assertEquals(List.of("__start__", "to_s1"), FLOW.shortestPath("*", "s1").orElseThrow().events());
    }

    @Test
    void allSimplePathsFromEntryToFinal() {
        List<FsmPath> paths = FLOW.paths(100);
        assertEquals(List.of(List.of("to_s1", "to_s3"), List.of("to_s1", "to_s2", "to_s3")),
                paths.stream().map(FsmPath::events).toList());
        assertEquals(1, FLOW.paths(1).size());
        assertThrows(IllegalArgumentException.class, () -> FLOW.paths(0));
    }

    @Test
    void loops() {
        FsmDefinition d = FsmDefinition.parse("""
                idle --> |go| a
                a --> |next| b
                b --> |back| a
                b --> |again| b
                b --> |stop| done
                """);
        List<List<String>> loops = d.loops(10).stream().map(FsmPath::states).toList();
        assertEquals(List.of(List.of("a", "b", "a"), List.of("b", "b")), loops);
        assertEquals(List.of(), FLOW.loops(10));
    }

    @Test
    void mermaidAndPlantUmlRoundTrip() {
        for (String text : List.of(ParsingTest.FLOWCHART, ParsingTest.STATE_DIAGRAM,
                "idle --> |go| a,b\na --> |x!| c\nb --> |y?| c\n")) {
            FsmDefinition d = FsmDefinition.parse(text);
            assertTrue(d.toMermaid().startsWith("stateDiagram-v2\n"));
            assertEquals(d, FsmDefinition.parse(d.toMermaid()));
            assertEquals(d, FsmDefinition.parse(d.toMermaid(), Syntax.STATE_DIAGRAM));
            assertTrue(d.toPlantUml().startsWith("@startuml\n") && d.toPlantUml().endsWith("@enduml\n"));
            assertEquals(d, FsmDefinition.parse(d.toPlantUml()));
            assertEquals(d.hashCode(), FsmDefinition.parse(d.toPlantUml()).hashCode());
        }
        assertTrue(FLOW.toMermaid().contains("    [*] --> idle : __start__\n"));
        assertTrue(FLOW.toMermaid().contains("    s3 --> [*] : __end__\n"));
    }

    @Test
    void dot() {
        String dot = FLOW.toDot();
        assertTrue(dot.startsWith("digraph fsm {"));
        assertTrue(dot.contains("\"idle\" -> \"s1\" [label=\"to_s1\"];"));
        assertTrue(dot.contains("\"[*]start\" -> \"idle\" [label=\"__start__\"];"));
        assertTrue(dot.contains("\"s3\" -> \"[*]end\" [label=\"__end__\"];"));
        assertTrue(dot.trim().endsWith("}"));
    }

    @Test
    void differentDefinitionsAreNotEqual() {
        assertFalse(FLOW.equals(FsmDefinition.parse(ParsingTest.STATE_DIAGRAM)));
        assertFalse(FLOW.equals("not a definition"));
    }

    @Test
    void longChainParsesWithoutDeepRecursion() {
        int n = 5_000;
        String text = IntStream.range(0, n).mapToObj(i -> "s" + i + " --> |e" + i + "| s" + (i + 1))
                .collect(Collectors.joining("\n"));
        FsmDefinition d = FsmDefinition.parse(text);
        assertEquals(n + 1, d.states().size());
        assertEquals("s0", d.entryState());
        assertEquals(n, d.shortestPath("s0", "s" + n).orElseThrow().steps().size());
        assertEquals(n, d.paths(5).get(0).steps().size());
        assertEquals(d, FsmDefinition.parse(d.toMermaid()));
    }
}
