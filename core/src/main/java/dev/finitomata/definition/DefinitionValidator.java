package dev.finitomata.definition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * INTERNAL API. Builds the transition graph from parsed lines and checks the rules of a valid definition.
 *
 * <p>Design: one pass collects states (in order of first mention, with that position), outgoing edges and
 * incoming counts; flowcharts then get their implicit {@code __start__}/{@code __end__} transitions. Rules are
 * checked with breadth-first searches, so the whole validation is linear in the size of the definition. Every
 * broken rule becomes a diagnostic; the caller throws them together.
 */
final class DefinitionValidator {

    /** The checked graph: transitions in text order (implicit ones included) and warnings. */
    record Graph(List<FsmTransition> transitions, List<String> warnings) {
    }

    private record Position(int line, int column) {
    }

    private static final String STAR = FsmDefinition.PSEUDO_STATE;

    private final Syntax syntax;
    private final Map<String, Position> firstMention = new LinkedHashMap<>();
    private final Map<String, Map<String, Set<String>>> out = new HashMap<>();
    private final Map<FsmTransition, DefinitionParser.Located> written = new HashMap<>();
    private final Set<String> orphans = new HashSet<>();
    private final Set<String> entered = new HashSet<>();
    private final List<FsmTransition> transitions = new ArrayList<>();
    private final List<FsmDiagnostic> problems = new ArrayList<>();

    private DefinitionValidator(Syntax syntax) {
        this.syntax = syntax;
    }

    static Graph check(Syntax syntax, List<DefinitionParser.Located> located) {
        DefinitionValidator validator = new DefinitionValidator(syntax);
        located.forEach(validator::collect);
        return validator.validate();
    }

    private void collect(DefinitionParser.Located located) {
        FsmTransition t = located.transition();
        mention(t.from(), located.line(), located.fromColumn());
        mention(t.to(), located.line(), located.toColumn());
        if (written.putIfAbsent(t, located) == null) {
            edge(t);
        }
    }

    private void mention(String state, int line, int column) {
        if (!state.equals(STAR)) {
            firstMention.putIfAbsent(state, new Position(line, column));
        }
    }

    private void edge(FsmTransition t) {
        transitions.add(t);
        out.computeIfAbsent(t.from(), k -> new LinkedHashMap<>())
                .computeIfAbsent(t.event(), k -> new LinkedHashSet<>()).add(t.to());
        entered.add(t.to());
    }

    private Graph validate() {
        if (firstMention.isEmpty()) {
            problems.add(FsmDiagnostic.at(Problem.INITIAL_STATE, 0, 0, "the definition has no transitions: "
                    + "write at least one, as in " + (syntax == Syntax.FLOWCHART
                    ? "'idle --> |start| done'" : "'[*] --> idle : start' and 'idle --> [*] : stop'")));
            throw new FsmDefinitionException(problems);
        }
        String entry = syntax == Syntax.FLOWCHART ? flowchartEnds() : stateDiagramEnds();
        if (entry != null) {
            checkReachable(entry);
        }
        checkHardEvents();
        if (!problems.isEmpty()) {
            throw new FsmDefinitionException(problems);
        }
        return new Graph(List.copyOf(transitions), warnings());
    }

    /** Adds the implicit start and end of a flowchart; answers the entry state, or null if there is not one. */
    private String flowchartEnds() {
        List<String> candidates = firstMention.keySet().stream().filter(s -> !entered.contains(s)).toList();
        List<String> finals = firstMention.keySet().stream().filter(s -> !out.containsKey(s)).toList();
        String entry = null;
        if (candidates.isEmpty()) {
            problems.add(FsmDiagnostic.at(Problem.INITIAL_STATE, 0, 0, "no entry state: every state is the target "
                    + "of some transition, but a flowchart starts in the one state no transition leads to"));
        } else if (candidates.size() > 1) {
            String extra = candidates.get(1);
            Position at = firstMention.get(extra);
            problems.add(FsmDiagnostic.at(Problem.INITIAL_STATE, at.line(), at.column(), "more than one entry "
                    + "state: " + quoted(candidates) + " are never the target of a transition; a flowchart starts "
                    + "in exactly one such state, so add a transition into '" + extra + "' or remove it"));
        } else {
            entry = candidates.get(0);
            edge(new FsmTransition(STAR, FsmDefinition.START_EVENT, entry));
            transitions.add(0, transitions.remove(transitions.size() - 1));
        }
        if (finals.isEmpty()) {
            problems.add(FsmDiagnostic.at(Problem.FINAL_STATE, 0, 0, "no final state: every state has a transition "
                    + "out, so the FSM could never finish; a flowchart's final states are those with none"));
        }
        finals.forEach(f -> edge(new FsmTransition(f, FsmDefinition.END_EVENT, STAR)));
        return entry;
    }

    /** Checks the explicit start and end of a state diagram; answers the entry state, or null if not exactly one. */
    private String stateDiagramEnds() {
        Set<String> entries = out.getOrDefault(STAR, Map.of()).values().stream()
                .flatMap(Set::stream).collect(LinkedHashSet::new, Set::add, Set::addAll);
        String entry = null;
        List<String> neverEntered = firstMention.keySet().stream().filter(s -> !entered.contains(s)).toList();
        if (entries.isEmpty() && neverEntered.isEmpty()) {
            problems.add(FsmDiagnostic.at(Problem.INITIAL_STATE, 0, 0, "no entry state: add a line "
                    + "'[*] --> state : event' to say where the FSM starts"));
        } else if (entries.isEmpty()) {
            String candidate = neverEntered.get(0);
            Position at = firstMention.get(candidate);
            problems.add(FsmDiagnostic.at(Problem.INITIAL_STATE, at.line(), at.column(), "no entry state: add a "
                    + "line '[*] --> " + candidate + " : start' to say where the FSM starts"));
        } else if (entries.size() > 1) {
            FsmTransition second = transitions.stream().filter(t -> t.from().equals(STAR)).skip(1).findFirst()
                    .orElseThrow();
            DefinitionParser.Located at = written.get(second);
            problems.add(FsmDiagnostic.at(Problem.INITIAL_STATE, at.line(), at.fromColumn(), "more than one entry "
                    + "state: [*] leads to " + quoted(entries) + "; keep exactly one '[*] --> state' line"));
        } else {
            entry = entries.iterator().next();
        }
        if (!entered.contains(STAR)) {
            problems.add(FsmDiagnostic.at(Problem.FINAL_STATE, 0, 0, "no final state: add a line "
                    + "'state --> [*] : event' to say where the FSM may finish"));
        }
        firstMention.forEach((state, at) -> {
            if (!entered.contains(state) || !out.containsKey(state)) {
                orphans.add(state);
            }
            if (!entered.contains(state) && entries.isEmpty() && state.equals(neverEntered.get(0))) {
                return;
            }
            if (!entered.contains(state)) {
                problems.add(FsmDiagnostic.at(Problem.ORPHAN_STATE, at.line(), at.column(), "state '" + state
                        + "' is never entered: no transition leads to it; add one, or remove the state"));
            } else if (!out.containsKey(state)) {
                problems.add(FsmDiagnostic.at(Problem.ORPHAN_STATE, at.line(), at.column(), "state '" + state
                        + "' is a dead end: no transition leaves it; add '" + state + " --> [*] : finish' to make "
                        + "it final, or a transition to another state"));
            }
        });
        return entry;
    }

    private void checkReachable(String entry) {
        Set<String> reached = search(entry, out);
        firstMention.forEach((state, at) -> {
            if (!reached.contains(state) && !orphans.contains(state)) {
                problems.add(FsmDiagnostic.at(Problem.UNREACHABLE_STATE, at.line(), at.column(), "state '" + state
                        + "' cannot be reached from the entry state '" + entry + "': add a transition to it from "
                        + "a reachable state, or remove it"));
            }
        });
    }

    private void checkHardEvents() {
        out.forEach((state, events) -> events.keySet().stream()
                .filter(e -> e.endsWith("!") && events.size() > 1)
                .forEach(hard -> {
                    FsmTransition t = new FsmTransition(state, hard, events.get(hard).iterator().next());
                    DefinitionParser.Located at = written.get(t);
                    List<String> others = events.keySet().stream().filter(e -> !e.equals(hard)).toList();
                    problems.add(FsmDiagnostic.at(Problem.HARD_EVENT_NOT_DETERMINED, at.line(), at.eventColumn(),
                            "hard event '" + hard + "' is not the only event leaving state '" + state + "' (also "
                                    + quoted(others) + "): a hard event fires by itself, so it must be alone; drop "
                                    + "the '!' or move the other events to another state"));
                }));
    }

    private List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        Map<String, Map<String, Set<String>>> in = new HashMap<>();
        transitions.forEach(t -> in.computeIfAbsent(t.to(), k -> new HashMap<>())
                .computeIfAbsent(t.event(), k -> new HashSet<>()).add(t.from()));
        Set<String> canFinish = search(STAR, in);
        firstMention.forEach((state, at) -> {
            if (!canFinish.contains(state)) {
                warnings.add("state '" + state + "' (line " + at.line() + ") cannot reach any final state: "
                        + "an FSM that enters it can never finish");
            }
        });
        firstMention.keySet().forEach(state -> out.getOrDefault(state, Map.of()).forEach((event, targets) -> {
            if (targets.size() > 1) {
                warnings.add("event '" + event + "' in state '" + state + "' has " + targets.size() + " targets ("
                        + String.join(", ", targets) + "): onTransition must choose one");
            }
        }));
        return List.copyOf(warnings);
    }

    /** Breadth-first search over {@code edges} (state -> event -> neighbours); answers every state reached. */
    static Set<String> search(String start, Map<String, Map<String, Set<String>>> edges) {
        Set<String> seen = new HashSet<>(List.of(start));
        Deque<String> queue = new ArrayDeque<>(seen);
        while (!queue.isEmpty()) {
            edges.getOrDefault(queue.poll(), Map.of()).values()
                    .forEach(next -> next.stream().filter(seen::add).forEach(queue::add));
        }
        return seen;
    }

    private static String quoted(Iterable<String> names) {
        List<String> quoted = new ArrayList<>();
        names.forEach(n -> quoted.add("'" + n + "'"));
        return String.join(", ", quoted);
    }
}
