package dev.finitomata.definition;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A validated FSM definition: states, events and transitions parsed from a small text diagram.
 *
 * <p>Parse once and keep the result in a static field; instances are immutable and thread-safe. Two definitions are
 * {@link #equals(Object) equal} when they have the same set of transitions (implicit ones included), whatever syntax
 * they were written in, so {@code parse(d.toMermaid())} and {@code parse(d.toPlantUml())} equal {@code d}.
 *
 * <pre>{@code
 * static final FsmDefinition ORDER = FsmDefinition.parse("""
 *     idle --> |pay| paid
 *     paid --> |ship!| shipped
 *     """);
 * }</pre>
 */
public final class FsmDefinition {

    /** The start/end pseudo-state, written {@code [*]} in a state diagram. */
    public static final String PSEUDO_STATE = "*";
    /** The implicit event that enters a flowchart's entry state. */
    public static final String START_EVENT = "__start__";
    /** The implicit event that leaves a flowchart's final states. */
    public static final String END_EVENT = "__end__";

    private final List<FsmTransition> transitions;
    private final Set<String> states;
    private final Set<String> events;
    private final Map<String, Map<String, Set<String>>> outgoing;
    private final List<String> warnings;
    private final String entryState;
    private final String entryEvent;
    private final Set<String> finalStates;
    private final Map<String, String> descriptions;
    private final Map<FsmTransition, String> guards;
    /**
     * Per state, its hard event ({@link #hardEventOf}), and whether {@code __end__} is its only event: asked twice per
     * transition, so worked out once.
     */
    private final Map<String, Optional<String>> hardEvents;
    private final Set<String> endOnly;

    private FsmDefinition(DefinitionValidator.Graph graph, Map<String, String> descriptions,
                          Map<FsmTransition, String> guards) {
        this.descriptions = descriptions;
        this.guards = guards;
        this.transitions = graph.transitions();
        this.warnings = graph.warnings();
        Set<String> stateSet = new LinkedHashSet<>();
        Set<String> eventSet = new LinkedHashSet<>();
        Set<String> finals = new LinkedHashSet<>();
        Map<String, Map<String, Set<String>>> edges = new LinkedHashMap<>();
        String entry = null;
        String entryEv = null;
        for (FsmTransition t : transitions) {
            for (String s : List.of(t.from(), t.to())) {
                if (!s.equals(PSEUDO_STATE)) {
                    stateSet.add(s);
                }
            }
            eventSet.add(t.event());
            edges.computeIfAbsent(t.from(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(t.event(), k -> new LinkedHashSet<>()).add(t.to());
            if (t.from().equals(PSEUDO_STATE)) {
                entry = t.to();
                entryEv = t.event();
            }
            if (t.to().equals(PSEUDO_STATE)) {
                finals.add(t.from());
            }
        }
        edges.replaceAll((state, byEvent) -> {
            byEvent.replaceAll((event, targets) -> Collections.unmodifiableSet(targets));
            return Collections.unmodifiableMap(byEvent);
        });
        this.states = Collections.unmodifiableSet(stateSet);
        this.events = Collections.unmodifiableSet(eventSet);
        this.finalStates = Collections.unmodifiableSet(finals);
        this.outgoing = Collections.unmodifiableMap(edges);
        this.entryState = entry;
        this.entryEvent = entryEv;
        Map<String, Optional<String>> hard = new HashMap<>();
        Set<String> ending = new HashSet<>();
        edges.forEach((state, byEvent) -> {
            if (byEvent.size() == 1) {
                String only = byEvent.keySet().iterator().next();
                if (only.endsWith("!")) {
                    hard.put(state, Optional.of(only));
                }
                if (only.equals(END_EVENT)) {
                    ending.add(state);
                }
            }
        });
        this.hardEvents = hard;
        this.endOnly = ending;
    }

    /**
     * Parses and validates a definition, detecting its syntax: a {@code |event|} label anywhere means
     * {@link Syntax#FLOWCHART}, anything else {@link Syntax#STATE_DIAGRAM}.
     *
     * @throws FsmDefinitionException if the text is not a valid definition (every problem is listed in it)
     * @throws NullPointerException   if {@code text} is null
     */
    public static FsmDefinition parse(String text) {
        Objects.requireNonNull(text, "text");
        return parse(text, DefinitionParser.detect(text));
    }

    /**
     * Parses and validates a definition written in the given syntax. Runs in time linear in the text's length.
     *
     * @throws FsmDefinitionException if the text is not a valid definition (every problem is listed in it)
     * @throws NullPointerException   if an argument is null
     */
    public static FsmDefinition parse(String text, Syntax syntax) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(syntax, "syntax");
        DefinitionParser.Result parsed = DefinitionParser.parse(text, syntax);
        if (!parsed.errors().isEmpty()) {
            throw new FsmDefinitionException(parsed.errors());
        }
        return new FsmDefinition(DefinitionValidator.check(syntax, parsed.transitions()), parsed.descriptions(),
                parsed.guards());
    }

    /** Every state, in order of first appearance; never contains {@value #PSEUDO_STATE}. */
    public Set<String> states() {
        return states;
    }

    /** Every event, in order of first appearance, including {@code __start__}/{@code __end__} where implied. */
    public Set<String> events() {
        return events;
    }

    /** Every transition, the start first; the pseudo-state is written {@value #PSEUDO_STATE}. */
    public List<FsmTransition> transitions() {
        return transitions;
    }

    /** The state the FSM enters when it starts. */
    public String entryState() {
        return entryState;
    }

    /** The event that enters the entry state ({@code __start__} in a flowchart). */
    public String entryEvent() {
        return entryEvent;
    }

    /** The states with a transition to the end ({@value #PSEUDO_STATE}). */
    public Set<String> finalStates() {
        return finalStates;
    }

    /** The hard events (names ending in {@code !}): each fires by itself when its state is entered. */
    public Set<String> hardEvents() {
        return eventsEndingWith("!");
    }

    /** The soft events (names ending in {@code ?}): their failure is not an error. */
    public Set<String> softEvents() {
        return eventsEndingWith("?");
    }

    private Set<String> eventsEndingWith(String suffix) {
        Set<String> found = new LinkedHashSet<>();
        events.stream().filter(e -> e.endsWith(suffix)).forEach(found::add);
        return Collections.unmodifiableSet(found);
    }

    /** The states {@code event} may lead to from {@code state}; empty when the state does not respond to it. */
    public Set<String> targets(String state, String event) {
        return outgoing.getOrDefault(state, Map.of()).getOrDefault(event, Set.of());
    }

    /** The events {@code state} responds to, in order of appearance (empty for an unknown state). */
    public Set<String> eventsFrom(String state) {
        return outgoing.getOrDefault(state, Map.of()).keySet();
    }

    /** Whether some event leads from {@code from} to {@code to} ({@value #PSEUDO_STATE} allowed on either side). */
    public boolean allowed(String from, String to) {
        return outgoing.getOrDefault(from, Map.of()).values().stream().anyMatch(targets -> targets.contains(to));
    }

    /** Whether {@code state} responds to {@code event}. */
    public boolean responds(String state, String event) {
        return outgoing.getOrDefault(state, Map.of()).containsKey(event);
    }

    /**
     * The hard event {@code state} fires by itself on entry: present when its only outgoing event is hard.
     */
    public Optional<String> hardEventOf(String state) {
        return hardEvents.getOrDefault(state, Optional.empty());
    }

    /** Whether {@code state}'s only outgoing event is {@value #END_EVENT} (it may end the FSM by itself). */
    public boolean endsOnly(String state) {
        return endOnly.contains(state);
    }

    /** Whether {@code event} is soft (its name ends in {@code ?}). */
    public static boolean isSoft(String event) {
        return event.endsWith("?");
    }

    /** Non-fatal findings: states from which no final state is reachable, events with several targets. */
    public List<String> warnings() {
        return warnings;
    }

    /** A shortest path (fewest transitions) from {@code from} to {@code to}, if there is one. */
    public Optional<FsmPath> shortestPath(String from, String to) {
        return GraphSearch.shortestPath(outgoing, from, to);
    }

    /**
     * Every simple path (no state visited twice) from the entry state to a final state, at most {@code limit} of
     * them, shortest first. Implicit start and end transitions are not part of the paths.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public List<FsmPath> paths(int limit) {
        return GraphSearch.simplePaths(outgoing, entryState, finalStates, limit);
    }

    /** Every simple cycle (self-loops included), at most {@code limit} of them. */
    public List<FsmPath> loops(int limit) {
        return GraphSearch.cycles(outgoing, states, limit);
    }

    /** This definition as a Mermaid {@code stateDiagram-v2}; parses back to an equal definition. */
    public String toMermaid() {
        return DefinitionExporter.stateDiagram(this, "stateDiagram-v2", "");
    }

    /** This definition as PlantUML ({@code @startuml}); parses back to an equal definition. */
    public String toPlantUml() {
        return DefinitionExporter.stateDiagram(this, "@startuml", "@enduml");
    }

    /**
     * The description the diagram gives {@code state} ({@code state : text}, {@code state "text" as state}, or
     * PlantUML's {@code state state : text}; several lines joined by a line break), for documentation and the
     * dashboard; empty if it gives none. Descriptions do not count for {@link #equals}.
     */
    public Optional<String> description(String state) {
        return Optional.ofNullable(descriptions.get(state));
    }

    /**
     * The guard text a transition was written with when it goes through a {@code <<choice>>} pseudo-state
     * ({@code c --> approved : amount <= limit}), as documentation: {@code onTransition} still chooses the target.
     * Empty for any other transition.
     */
    public Optional<String> guard(FsmTransition transition) {
        return Optional.ofNullable(guards.get(transition));
    }

    /** This definition as a Graphviz DOT digraph. */
    public String toDot() {
        return DefinitionExporter.dot(this);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FsmDefinition that && Set.copyOf(transitions).equals(Set.copyOf(that.transitions));
    }

    @Override
    public int hashCode() {
        return Set.copyOf(transitions).hashCode();
    }

    @Override
    public String toString() {
        return "FsmDefinition" + transitions;
    }
}
