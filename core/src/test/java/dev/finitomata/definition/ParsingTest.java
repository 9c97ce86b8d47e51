package dev.finitomata.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParsingTest {

    static final String FLOWCHART = """
            idle --> |to_s1| s1
            s1 --> |to_s2| s2
            s1 --> |to_s3| s3
            s2 --> |to_s3| s3
            """;

    static final String STATE_DIAGRAM = """
            [*] --> idle : init
            idle --> s1 : to_s1
            s1 --> s2 : to_s2
            s1 --> s3 : to_s3
            s2 --> s3 : to_s3
            s3 --> [*] : finish
            """;

    @Test
    void flowchartHasImplicitStartAndEnd() {
        FsmDefinition d = FsmDefinition.parse(FLOWCHART);
        assertEquals(List.of("idle", "s1", "s2", "s3"), List.copyOf(d.states()));
        assertEquals("idle", d.entryState());
        assertEquals("__start__", d.entryEvent());
        assertEquals(Set.of("s3"), d.finalStates());
        assertEquals(Set.of("__start__", "to_s1", "to_s2", "to_s3", "__end__"), d.events());
        assertEquals(new FsmTransition("*", "__start__", "idle"), d.transitions().get(0));
        assertTrue(d.transitions().contains(new FsmTransition("s3", "__end__", "*")));
        assertEquals(6, d.transitions().size());
        assertFalse(d.states().contains("*"));
        assertEquals(List.of(), d.warnings());
    }

    @Test
    void stateDiagramHasExplicitStartAndEnd() {
        FsmDefinition d = FsmDefinition.parse(STATE_DIAGRAM);
        assertEquals("idle", d.entryState());
        assertEquals("init", d.entryEvent());
        assertEquals(Set.of("s3"), d.finalStates());
        assertEquals(Set.of("init", "to_s1", "to_s2", "to_s3", "finish"), d.events());
        assertEquals(new FsmTransition("*", "init", "idle"), d.transitions().get(0));
    }

    @Test
    void stateDiagramStartAndEndWithoutLabelUseImplicitEvents() {
        FsmDefinition d = FsmDefinition.parse("[*] --> a\na --> b : go\nb --> [*]\n");
        assertEquals("__start__", d.entryEvent());
        assertEquals(Set.of("b"), d.finalStates());
        assertTrue(d.responds("b", "__end__"));
    }

    @Test
    void syntaxIsDetectedFromLabels() {
        assertEquals(FsmDefinition.parse(FLOWCHART, Syntax.FLOWCHART), FsmDefinition.parse(FLOWCHART));
        assertEquals(FsmDefinition.parse(STATE_DIAGRAM, Syntax.STATE_DIAGRAM), FsmDefinition.parse(STATE_DIAGRAM));
    }

    @Test
    void noiseIsIgnored() {
        FsmDefinition d = FsmDefinition.parse("""
                %% a comment
                graph TD
                  idle --> |to_s1| s1;
                # another comment

                ' plantuml comment
                s1 -->|to_s2|s2 ;
                s1 --> |to_s3| s3
                s2 --> |to_s3| s3
                """);
        assertEquals(FsmDefinition.parse(FLOWCHART), d);
        FsmDefinition sd = FsmDefinition.parse("@startuml\nstateDiagram-v2\n" + STATE_DIAGRAM + "@enduml\n");
        assertEquals(FsmDefinition.parse(STATE_DIAGRAM), sd);
        assertEquals(FsmDefinition.parse("flowchart LR\n" + FLOWCHART), d);
        assertEquals(FsmDefinition.parse("stateDiagram\r\n" + STATE_DIAGRAM.replace("\n", "\r\n")), sd);
    }

    @Test
    void multiTargetTransitionsAreNonDeterministicAndWarned() {
        FsmDefinition d = FsmDefinition.parse("""
                idle --> |go| a,b
                a --> |done| end
                b --> |done| end
                """);
        assertEquals(Set.of("a", "b"), d.targets("idle", "go"));
        assertTrue(d.allowed("idle", "b"));
        assertFalse(d.allowed("a", "b"));
        assertEquals(1, d.warnings().size());
        assertTrue(d.warnings().get(0).contains("'go' in state 'idle' has 2 targets (a, b)"), d.warnings().get(0));
        FsmDefinition repeated = FsmDefinition.parse("""
                idle --> |go| a
                idle --> |go| b
                a --> |done| end
                b --> |done| end
                """);
        assertEquals(d, repeated);
    }

    @Test
    void hardAndSoftEvents() {
        FsmDefinition d = FsmDefinition.parse("""
                idle --> |start| working
                working --> |finish!| checking
                checking --> |ok?| done
                checking --> |retry| working
                """);
        assertEquals(Set.of("finish!"), d.hardEvents());
        assertEquals(Set.of("ok?"), d.softEvents());
        assertEquals(Optional.of("finish!"), d.hardEventOf("working"));
        assertEquals(Optional.empty(), d.hardEventOf("checking"));
        assertTrue(FsmDefinition.isSoft("ok?"));
        assertEquals(Set.of("ok?", "retry"), d.eventsFrom("checking"));
        assertEquals(Optional.empty(), d.hardEventOf("nowhere"));
    }

    @Test
    void statesThatCanOnlyEnd() {
        FsmDefinition d = FsmDefinition.parse("""
                idle --> |start| working
                working --> |finish| done
                working --> |pause| paused
                paused --> |resume| working
                """);
        assertEquals(Set.of(FsmDefinition.END_EVENT), d.eventsFrom("done"));
        assertTrue(d.endsOnly("done"));
        assertFalse(d.endsOnly("working"));
        assertFalse(d.endsOnly("nowhere"));
    }

    @Test
    void queries() {
        FsmDefinition d = FsmDefinition.parse(FLOWCHART);
        assertEquals(Set.of("s2", "s3"), Set.of(d.targets("s1", "to_s2").iterator().next(),
                d.targets("s1", "to_s3").iterator().next()));
        assertEquals(Set.of(), d.targets("s1", "nope"));
        assertEquals(Set.of(), d.targets("nope", "to_s2"));
        assertTrue(d.responds("idle", "to_s1"));
        assertFalse(d.responds("idle", "to_s2"));
        assertTrue(d.allowed("*", "idle"));
        assertTrue(d.allowed("s3", "*"));
    }

    @Test
    void warnsAboutStatesThatCannotFinish() {
        FsmDefinition d = FsmDefinition.parse("""
                [*] --> idle : init
                idle --> done : finish
                idle --> loop_a : spin
                loop_a --> loop_b : tick
                loop_b --> loop_a : tock
                done --> [*] : stop
                """);
        assertEquals(2, d.warnings().size(), d.warnings().toString());
        assertTrue(d.warnings().get(0).startsWith("state 'loop_a' (line 3) cannot reach any final state"));
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThrows(NullPointerException.class, () -> FsmDefinition.parse(null));
        assertThrows(NullPointerException.class, () -> FsmDefinition.parse(FLOWCHART, null));
    }

    @Test
    void theNamesOfAParsedDefinitionAreTheInternedStringsSoALiteralMatchesThemByIdentity() {
        FsmDefinition d = FsmDefinition.parse("""
                [*] --> idle
                idle --> busy : go
                busy --> idle : go
                busy --> [*] : done
                """);
        String go = d.eventsFrom("idle").iterator().next();
        assertSame("go", go, "the event, as a client's literal");
        assertSame("busy", d.targets("idle", "go").iterator().next(), "the target, as a literal");
        assertSame("idle", d.entryState());
        FsmTransition built = new FsmTransition(new String("a"), new String("e"), new String("b"));
        assertSame("a", built.from());
        assertSame("e", built.event());
        assertSame("b", built.to());
    }
}
