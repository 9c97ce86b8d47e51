package dev.finitomata.definition;

/**
 * The two text syntaxes an FSM definition may be written in.
 *
 * <ul>
 *   <li>{@link #FLOWCHART}: Mermaid flowchart style, {@code from --> |event| to}. There is no {@code [*]}: the one
 *       state no transition leads to is the entry (reached by the implicit event {@code __start__}), and every state
 *       with no outgoing transition is final (left by the implicit event {@code __end__}).</li>
 *   <li>{@link #STATE_DIAGRAM}: PlantUML / Mermaid {@code stateDiagram} style, {@code from --> to : event}, with the
 *       pseudo-state {@code [*]} written explicitly for the start and the end.</li>
 * </ul>
 */
public enum Syntax {
    /** {@code from --> |event| to}, with implicit entry and final transitions. */
    FLOWCHART,
    /** {@code from --> to : event}, with explicit {@code [*]} start and end. */
    STATE_DIAGRAM
}
