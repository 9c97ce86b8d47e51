package dev.finitomata.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Diagrams as people write them (issue 25, point 1): the examples of Mermaid's state diagram documentation
 * ({@code packages/mermaid/src/docs/syntax/stateDiagram.md} in mermaid-js/mermaid, section named in each test) and of
 * PlantUML's state diagram guide (plantuml.com/state-diagram, section named), each with an event added to every
 * transition between states, as an FSM needs, and, where the example has dead ends, a {@code --> [*]} for them.
 * Nothing else is edited: descriptions, notes, styling, comments, titles and arrow variants are read past; what an FSM
 * cannot mean is refused by name, at its line.
 */
class DiagramCorpusTest {

    private static Set<FsmTransition> between(FsmDefinition d) {
        return Set.copyOf(d.transitions().stream().filter(t -> !t.from().equals("*") && !t.to().equals("*"))
                .toList());
    }

    private static FsmTransition t(String from, String event, String to) {
        return new FsmTransition(from, event, to);
    }

    private static FsmDiagnostic refused(String text) {
        FsmDefinitionException e = assertThrows(FsmDefinitionException.class, () -> FsmDefinition.parse(text));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    // ---- Mermaid, docs/syntax/stateDiagram.md ----

    @Test
    void mermaidSimpleSampleWithFrontMatterAndTheOlderHeader() {
        String body = """
                    [*] --> Still
                    Still --> [*]

                    Still --> Moving : move
                    Moving --> Still : stop
                    Moving --> Crash : crash
                    Crash --> [*]
                """;
        FsmDefinition v2 = FsmDefinition.parse("---\ntitle: Simple sample\n---\nstateDiagram-v2\n" + body);
        FsmDefinition older = FsmDefinition.parse("stateDiagram\n" + body);
        assertEquals(Set.of(t("Still", "move", "Moving"), t("Moving", "stop", "Still"),
                t("Moving", "crash", "Crash")), between(v2));
        assertEquals(v2, older);
    }

    @Test
    void mermaidStatesDeclaredWithDescriptions() {
        FsmDefinition d = FsmDefinition.parse("""
                stateDiagram-v2
                    stateId
                    state "This is a state description" as s2
                    s1 : This is a state description too
                    [*] --> s1
                    s1 --> s2: a_transition
                    s2 --> stateId : next
                    stateId --> [*]
                """);
        assertEquals(Optional.of("This is a state description"), d.description("s2"));
        assertEquals(Optional.of("This is a state description too"), d.description("s1"));
        assertEquals(Optional.empty(), d.description("stateId"));
        assertTrue(between(d).contains(t("s1", "a_transition", "s2")));
    }

    @Test
    void mermaidCompositeStatesAreRefusedAtTheirLine() {
        FsmDiagnostic problem = refused("""
                stateDiagram-v2
                    [*] --> First
                    state First {
                        [*] --> second
                        second --> [*]
                    }
                """);
        assertEquals(Problem.UNSUPPORTED, problem.problem());
        assertEquals(3, problem.line());
        assertEquals(5, problem.column());
        assertTrue(problem.message().contains("composite state 'First'"), problem.message());
        assertTrue(problem.message().contains("Write its inner states and their transitions at the top level"));
    }

    @Test
    void mermaidChoiceIsOneEventWithSeveralTargetsAndItsGuardsAreKept() {
        FsmDefinition d = FsmDefinition.parse("""
                stateDiagram-v2
                    state if_state <<choice>>
                    [*] --> IsPositive
                    IsPositive --> if_state : check
                    if_state --> False: if n < 0
                    if_state --> True : if n >= 0
                    False --> [*]
                    True --> [*]
                """);
        assertEquals(Set.of(t("IsPositive", "check", "False"), t("IsPositive", "check", "True")), between(d));
        assertEquals(Set.of("IsPositive", "False", "True"), d.states(), "the choice is not a state");
        assertEquals(Optional.of("if n < 0"), d.guard(t("IsPositive", "check", "False")));
        assertEquals(Optional.of("if n >= 0"), d.guard(t("IsPositive", "check", "True")));
    }

    @Test
    void mermaidForksAndJoinsAreRefused() {
        FsmDiagnostic problem = refused("""
                   stateDiagram-v2
                    state fork_state <<fork>>
                      [*] --> fork_state
                      fork_state --> State2 : a
                      fork_state --> State3 : b
                """);
        assertEquals(Problem.UNSUPPORTED, problem.problem());
        assertEquals(2, problem.line());
        assertTrue(problem.message().contains("'<<fork>>' is not supported"), problem.message());
    }

    @Test
    void mermaidNotesOnOneLineAndInBlocks() {
        FsmDefinition d = FsmDefinition.parse("""
                    stateDiagram-v2
                        State1: The state with a note
                        note right of State1
                            Important information! You can write
                            notes.
                        end note
                        [*] --> State1
                        State1 --> State2 : go
                        note left of State2 : This is the note to the left.
                        State2 --> [*]
                """);
        assertEquals(Set.of(t("State1", "go", "State2")), between(d));
        assertEquals(Optional.of("The state with a note"), d.description("State1"));
    }

    @Test
    void mermaidConcurrencyIsRefused() {
        FsmDiagnostic problem = refused("""
                stateDiagram-v2
                    [*] --> NumLockOff
                    NumLockOff --> NumLockOn : EvNumLockPressed
                    NumLockOn --> NumLockOff : EvNumLockPressed
                    --
                    [*] --> CapsLockOff
                """);
        assertEquals(5, problem.line());
        assertTrue(problem.message().contains("concurrent regions ('--') are not supported"), problem.message());
    }

    @Test
    void mermaidDirectionAndComments() {
        FsmDefinition d = FsmDefinition.parse("""
                stateDiagram-v2
                    direction LR
                    [*] --> Still
                    Still --> [*]
                %% this is a comment
                    Still --> Moving : move
                    Moving --> Still : stop %% another comment
                    Moving --> Crash : crash
                    Crash --> [*]
                """);
        assertTrue(between(d).contains(t("Moving", "stop", "Still")));
    }

    @Test
    void mermaidClassDefsClassStatementsAndTheTripleColon() {
        FsmDefinition withClass = FsmDefinition.parse("""
                   stateDiagram
                   direction TB

                   accTitle: This is the accessible title
                   accDescr: This is an accessible description

                   classDef notMoving fill:white
                   classDef movement font-style:italic
                   classDef badBadEvent fill:#f00,color:white,font-weight:bold,stroke-width:2px,stroke:yellow

                   [*]--> Still
                   Still --> [*]
                   Still --> Moving : move
                   Moving --> Still : stop
                   Moving --> Crash : crash
                   Crash --> [*]

                   class Still notMoving
                   class Moving, Crash movement
                   class Crash badBadEvent
                   class end badBadEvent
                """);
        FsmDefinition withColons = FsmDefinition.parse("""
                stateDiagram
                   direction TB
                   classDef notMoving fill:white
                   classDef movement font-style:italic;
                   [*] --> Still:::notMoving
                   Still --> [*]
                   Still --> Moving:::movement : move
                   Moving --> Still : stop
                   Moving --> Crash:::movement : crash
                   Crash:::badBadEvent --> [*]
                """);
        assertEquals(withClass, withColons);
        assertEquals(3, between(withClass).size());
    }

    @Test
    void mermaidSpacesInStateNamesNeedOneEntryState() {
        // the example starts in two states at once, which an FSM cannot: refused for that, not for its styling
        FsmDefinitionException e = assertThrows(FsmDefinitionException.class, () -> FsmDefinition.parse("""
                stateDiagram
                    classDef yourState font-style:italic,font-weight:bold,fill:white

                    yswsii: Your state with spaces in it
                    [*] --> yswsii:::yourState
                    [*] --> SomeOtherState
                    SomeOtherState --> YetAnotherState : on
                    yswsii --> YetAnotherState : on
                    YetAnotherState --> [*]
                """));
        assertEquals(Set.of(Problem.INITIAL_STATE), Set.copyOf(e.problems().stream().map(FsmDiagnostic::problem)
                .toList()), e.getMessage());
    }

    // ---- PlantUML, state diagram guide ----

    @Test
    void plantUmlSimpleStateWithDescriptionsAndAShortArrow() {
        FsmDefinition d = FsmDefinition.parse("""
                @startuml
                hide empty description
                [*] --> State1
                State1 --> [*]
                State1 : this is a string
                State1 : this is another string

                State1 -> State2 : go
                State2 --> [*]
                @enduml
                """);
        assertEquals(Set.of(t("State1", "go", "State2")), between(d));
        assertEquals(Optional.of("this is a string\nthis is another string"), d.description("State1"));
    }

    @Test
    void plantUmlLongNamesAndStateDeclarations() {
        FsmDefinition d = FsmDefinition.parse("""
                @startuml
                title Long names
                state "Accumulate Enough Data\\nLong State Name" as long1
                long1 : Just a test
                state ProcessData : Processing the data
                state Idle
                [*] --> long1
                long1 --> long1 : new_data
                long1 --> ProcessData : enough_data
                ProcessData --> [*]
                @enduml
                """);
        assertEquals(Optional.of("Accumulate Enough Data\\nLong State Name\nJust a test"), d.description("long1"));
        assertEquals(Optional.of("Processing the data"), d.description("ProcessData"));
        assertEquals(Optional.empty(), d.description("Idle"), "declared, never used: not a state of the FSM");
    }

    @Test
    void plantUmlChoiceWithGuardsAndStereotypesThatOnlyStyle() {
        FsmDefinition d = FsmDefinition.parse("""
                @startuml
                state "Req(Id)" as ReqId <<sdlreceive>>
                state "Minor(Id)" as MinorId
                state "Major(Id)" as MajorId
                state c <<choice>>
                [*] --> Idle
                Idle --> ReqId : request
                ReqId --> c : check
                c --> MinorId : [Id <= 10]
                c --> MajorId : [Id > 10]
                MinorId --> [*]
                MajorId --> [*]
                @enduml
                """);
        assertEquals(Set.of(t("Idle", "request", "ReqId"), t("ReqId", "check", "MinorId"),
                t("ReqId", "check", "MajorId")), between(d));
        assertEquals(Optional.of("[Id > 10]"), d.guard(t("ReqId", "check", "MajorId")));
        assertEquals(Optional.of("Req(Id)"), d.description("ReqId"));
    }

    @Test
    void plantUmlArrowDirectionsAndLineStyles() {
        FsmDefinition d = FsmDefinition.parse("""
                @startuml
                [*] -up-> First
                First -right-> Second : a
                Second --> Third : b
                Third -left-> Last : c
                Last -d-> Fifth : d
                Fifth -do-> Sixth : e
                Sixth -[#blue]-> Seventh : f
                Seventh -[dotted]-> Eighth : g
                Eighth -[#green,dashed]-> Ninth : h
                Ninth -[#DD00AA]down-> [*]
                @enduml
                """);
        assertEquals(8, between(d).size());
        assertEquals("First", d.entryState());
        assertEquals(Set.of("Ninth"), d.finalStates());
    }

    @Test
    void plantUmlNotesColorsSkinparamsAndComments() {
        FsmDefinition d = FsmDefinition.parse("""
                @startuml
                skinparam backgroundColor LightYellow
                skinparam state {
                  StartColor MediumBlue
                  BackgroundColor<<Warning>> Olive
                }
                ' a line comment
                /' a block comment
                   over two lines '/
                state HardwareSetup #lightblue
                state Active <<Warning>>
                [*] --> Active
                Active --> Inactive : pause /' inline '/
                Inactive --> Active : resume
                Inactive --> HardwareSetup : setup
                HardwareSetup --> [*]
                note left of Active : this is a short\\nnote
                note right of Inactive
                  A note can also
                  be defined on
                  several lines
                end note
                note "This is a floating note" as N1
                @enduml
                """);
        assertEquals(Set.of(t("Active", "pause", "Inactive"), t("Inactive", "resume", "Active"),
                t("Inactive", "setup", "HardwareSetup")), between(d));
    }

    @Test
    void plantUmlHistoryConcurrencyAndPointsAreRefused() {
        FsmDiagnostic history = refused("""
                @startuml
                [*] --> Running
                Running --> Paused : pause
                Paused --> Running[H] : resume
                @enduml
                """);
        assertEquals(4, history.line());
        assertTrue(history.message().contains("history states ([H], [H*]) are not supported"), history.message());
        assertEquals(3, refused("[*] --> A\nA --> B : go\n||\nB --> [*]").line());
        assertTrue(refused("state entry1 <<entryPoint>>\n[*] --> A\nA --> [*]").message()
                .contains("'<<entryPoint>>' belongs to composite states"));
        assertTrue(refused("state s <<start>>\n[*] --> A\nA --> [*]").message()
                .contains("write '[*] --> state' for the start"));
    }

    // ---- exports ----

    @Test
    void exportsRoundTripWithDescriptions() {
        FsmDefinition d = FsmDefinition.parse("""
                stateDiagram-v2
                    Draft : being written
                    Draft : by its author
                    state c <<choice>>
                    [*] --> Draft
                    Draft --> c : submit
                    c --> Published : fine
                    c --> Draft : needs work
                    Published --> [*]
                """);
        for (String exported : List.of(d.toMermaid(), d.toPlantUml())) {
            FsmDefinition back = FsmDefinition.parse(exported);
            assertEquals(d, back, exported);
            assertEquals(Optional.of("being written\nby its author"), back.description("Draft"), exported);
        }
    }
}
