package dev.finitomata.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Property-style: random valid definitions export and re-parse to equal definitions; searches are consistent. */
class RandomDefinitionTest {

    private static final int CASES = 500;

    @Test
    void randomStateDiagramsRoundTrip() {
        Random random = new Random(42);
        for (int c = 0; c < CASES; c++) {
            String text = randomStateDiagram(random, 2 + random.nextInt(12));
            FsmDefinition d = FsmDefinition.parse(text);
            check(d, text);
        }
    }

    @Test
    void randomFlowchartsRoundTrip() {
        Random random = new Random(7);
        for (int c = 0; c < CASES; c++) {
            String text = randomFlowchart(random, 2 + random.nextInt(12));
            FsmDefinition d = FsmDefinition.parse(text);
            assertEquals("__start__", d.entryEvent(), text);
            check(d, text);
        }
    }

    private static void check(FsmDefinition d, String text) {
        assertEquals(d, FsmDefinition.parse(d.toMermaid()), text);
        assertEquals(d, FsmDefinition.parse(d.toPlantUml()), text);
        for (String state : d.states()) {
            FsmPath path = d.shortestPath(d.entryState(), state).orElseThrow(() -> new AssertionError(text));
            assertWalkable(d, path);
        }
        for (FsmPath path : d.paths(50)) {
            assertWalkable(d, path);
            assertTrue(d.finalStates().contains(path.states().isEmpty() ? d.entryState()
                    : path.states().get(path.states().size() - 1)), text);
        }
        for (FsmPath loop : d.loops(50)) {
            assertWalkable(d, loop);
            assertEquals(loop.states().get(0), loop.states().get(loop.states().size() - 1));
        }
    }

    private static void assertWalkable(FsmDefinition d, FsmPath path) {
        for (FsmTransition step : path.steps()) {
            assertTrue(d.targets(step.from(), step.event()).contains(step.to()), path::toString);
        }
    }

    /** A spanning tree from s0 guarantees reachability; random extra edges; every leaf and some others finish. */
    private static String randomStateDiagram(Random random, int n) {
        List<String> lines = new ArrayList<>();
        lines.add("[*] --> s0 : init");
        for (int i = 1; i < n; i++) {
            lines.add("s" + random.nextInt(i) + " --> s" + i + " : e" + random.nextInt(4));
        }
        for (int k = random.nextInt(n); k > 0; k--) {
            lines.add("s" + random.nextInt(n) + " --> s" + random.nextInt(n) + " : x" + random.nextInt(3));
        }
        for (int i = 0; i < n; i++) {
            if (random.nextInt(3) == 0 || i == n - 1 || lines.stream().noneMatch(l -> l.startsWith(stateOf(l)))) {
                lines.add("s" + i + " --> [*] : done");
            }
        }
        ensureNoDeadEnds(lines, n);
        java.util.Collections.shuffle(lines, random);
        return String.join("\n", lines);
    }

    private static String stateOf(String line) {
        return line.substring(0, line.indexOf(' ') + 1);
    }

    private static void ensureNoDeadEnds(List<String> lines, int n) {
        for (int i = 0; i < n; i++) {
            String prefix = "s" + i + " ";
            if (lines.stream().noneMatch(l -> l.startsWith(prefix))) {
                lines.add(prefix + "--> [*] : done");
            }
        }
    }

    /** Edges only go forward from s0 (so s0 is the one state never targeted); every state is reached from s0. */
    private static String randomFlowchart(Random random, int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            String targets = "s" + i + (random.nextInt(5) == 0 && i + 1 < n ? ",s" + (i + 1) : "");
            lines.add("s" + random.nextInt(i) + " --> |e" + random.nextInt(4) + "| " + targets);
        }
        for (int k = random.nextInt(n); k > 0; k--) {
            int to = 1 + random.nextInt(n - 1);
            lines.add("s" + random.nextInt(n) + " --> |x" + random.nextInt(3) + "| s" + to);
        }
        lines.add("s" + random.nextInt(n) + " --> |finish| fin");
        java.util.Collections.shuffle(lines, random);
        return String.join("\n", lines);
    }
}
