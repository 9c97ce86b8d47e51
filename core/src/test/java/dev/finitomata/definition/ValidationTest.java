package dev.finitomata.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationTest {

    private static FsmDefinitionException fails(String text) {
        return assertThrows(FsmDefinitionException.class, () -> FsmDefinition.parse(text));
    }

    private static FsmDefinitionException fails(String text, Syntax syntax) {
        return assertThrows(FsmDefinitionException.class, () -> FsmDefinition.parse(text, syntax));
    }

    private static void assertAt(FsmDefinitionException e, Problem problem, int line, int column, String text) {
        assertEquals(problem, e.problem(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains(text), () -> "expected '" + text + "' in: " + e.getMessage());
    }

    @Test
    void isAnIllegalArgumentException() {
        assertInstanceOf(IllegalArgumentException.class, fails("", Syntax.FLOWCHART));
    }

    @Test
    void emptyText() {
        assertAt(fails(""), Problem.INITIAL_STATE, 0, 0, "has no transitions");
        assertAt(fails("%% only a comment\n", Syntax.FLOWCHART), Problem.INITIAL_STATE, 0, 0, "idle --> |start|");
    }

    @Test
    void lineThatIsNotATransition() {
        FsmDefinitionException e = fails("idle --> |go| busy\n  hello world\n");
        assertAt(e, Problem.SYNTAX, 2, 3, "line 2, column 3: expected a transition, 'from --> |event| to'");
    }

    @Test
    void badIdentifiersPointAtTheToken() {
        assertAt(fails("idle --> |go| 9lives\n"), Problem.SYNTAX, 1, 15, "'9lives' is not a valid target state");
        assertAt(fails("id-le --> |go| busy\n", Syntax.FLOWCHART), Problem.SYNTAX, 1, 1,
                "'id-le' is not a valid source state");
        assertAt(fails("idle --> |go on| busy\n"), Problem.SYNTAX, 1, 11, "'go on' is not a valid event name");
        assertAt(fails("a --> b : x!?\n"), Problem.SYNTAX, 1, 11, "both hard and soft");
        assertAt(fails("idle --> || busy\n"), Problem.SYNTAX, 1, 10, "empty event label");
        assertAt(fails("idle --> |go busy\n", Syntax.FLOWCHART), Problem.SYNTAX, 1, 10, "unclosed event label");
        assertAt(fails("idle --> |go| a,,b\n"), Problem.SYNTAX, 1, 17, "missing target state");
    }

    @Test
    void mixedSyntaxGetsAHint() {
        assertAt(fails("a --> b : go\n", Syntax.FLOWCHART), Problem.SYNTAX, 1, 7, "looks like state-diagram syntax");
        assertAt(fails("a --> |go| b\n", Syntax.STATE_DIAGRAM), Problem.SYNTAX, 1, 7, "flowchart syntax");
        assertAt(fails("[*] --> |go| b\n"), Problem.SYNTAX, 1, 1, "'[*]' is state-diagram syntax");
    }

    @Test
    void stateDiagramTransitionNeedsAnEvent() {
        assertAt(fails("[*] --> a\na --> b\nb --> [*]\n"), Problem.SYNTAX, 2, 8, "write 'a --> b : event'");
        assertAt(fails("[*] --> a\na --> b :   \nb --> [*]\n"), Problem.SYNTAX, 2, 9, "missing event after ':'");
        assertAt(fails("[*] --> [*] : x\n"), Problem.SYNTAX, 1, 1, "at least one state in between");
    }

    @Test
    void flowchartNeedsExactlyOneEntry() {
        assertAt(fails("a --> |x| b\nb --> |y| a\n"), Problem.INITIAL_STATE, 0, 0, "no entry state");
        FsmDefinitionException e = fails("a --> |x| c\nb --> |y| c\n");
        assertAt(e, Problem.INITIAL_STATE, 2, 1, "more than one entry state: 'a', 'b'");
        assertTrue(e.getMessage().contains("add a transition into 'b' or remove it"));
    }

    @Test
    void flowchartNeedsAFinalState() {
        FsmDefinitionException e = fails("start --> |x| a\na --> |y| b\nb --> |z| a\n");
        assertAt(e, Problem.FINAL_STATE, 0, 0, "no final state");
    }

    @Test
    void stateDiagramNeedsExactlyOneEntryAndAFinal() {
        assertAt(fails("a --> b : x\nb --> [*] : done\n"), Problem.INITIAL_STATE, 1, 1, "add a line '[*] --> a : start'");
        assertAt(fails("a --> b : x\nb --> a : y\n", Syntax.STATE_DIAGRAM), Problem.INITIAL_STATE, 0, 0,
                "'[*] --> state : event'");
        assertAt(fails("[*] --> a : i\n[*] --> b : j\na --> [*] : x\nb --> [*] : y\n"), Problem.INITIAL_STATE, 2, 1,
                "more than one entry state: [*] leads to 'a', 'b'");
        assertAt(fails("[*] --> a : i\na --> b : x\nb --> a : y\n"), Problem.FINAL_STATE, 0, 0,
                "'state --> [*] : event'");
    }

    @Test
    void orphansAreNamed() {
        FsmDefinitionException e = fails("[*] --> a : i\na --> [*] : x\nb --> a : y\n");
        assertAt(e, Problem.ORPHAN_STATE, 3, 1, "state 'b' is never entered");
        FsmDefinitionException dead = fails("[*] --> a : i\na --> [*] : x\na --> c : y\n");
        assertAt(dead, Problem.ORPHAN_STATE, 3, 7, "state 'c' is a dead end");
        assertTrue(dead.getMessage().contains("add 'c --> [*] : finish'"));
    }

    @Test
    void everyStateMustBeReachableFromTheEntry() {
        FsmDefinitionException e = fails("""
                [*] --> a : i
                a --> [*] : x
                b --> c : y
                c --> b : z
                c --> [*] : w
                """);
        assertAt(e, Problem.UNREACHABLE_STATE, 3, 1, "state 'b' cannot be reached from the entry state 'a'");
        assertEquals(2, e.problems().size());
        assertEquals(Problem.UNREACHABLE_STATE, e.problems().get(1).problem());
        assertTrue(e.problems().get(1).message().contains("state 'c' cannot be reached"));
    }

    @Test
    void hardEventMustBeTheOnlyEventOfItsState() {
        FsmDefinitionException e = fails("""
                idle --> |go| busy
                busy --> |done!| idle2
                busy --> |cancel| idle2
                """);
        assertAt(e, Problem.HARD_EVENT_NOT_DETERMINED, 2, 11, "hard event 'done!' is not the only event leaving "
                + "state 'busy' (also 'cancel')");
        FsmDefinition ok = FsmDefinition.parse("idle --> |go| busy\nbusy --> |done!| a,b\n");
        assertEquals(java.util.Set.of("done!"), ok.hardEvents());
    }

    @Test
    void severalProblemsAreAllKeptFirstByLine() {
        FsmDefinitionException e = fails("""
                idle --> |go| busy
                busy --> 42
                ok --> |x| 7
                """);
        assertEquals(Problem.SYNTAX, e.problem());
        assertEquals(2, e.line());
        List<Integer> lines = e.problems().stream().map(FsmDiagnostic::line).toList();
        assertEquals(List.of(2, 3), lines);
        assertTrue(e.getMessage().contains("Other problems:\n  line 3, column 12"), e.getMessage());
    }

    @Test
    void problemsNotTiedToALineComeLast() {
        FsmDefinitionException e = fails("[*] --> a : i\na --> b : x\nc --> b : y\n");
        assertEquals(Problem.ORPHAN_STATE, e.problem());
        assertEquals(Problem.FINAL_STATE, e.problems().get(e.problems().size() - 1).problem());
        assertEquals(0, e.problems().get(e.problems().size() - 1).line());
    }
}
