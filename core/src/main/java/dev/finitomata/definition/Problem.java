package dev.finitomata.definition;

/** The kind of mistake an {@link FsmDefinitionException} reports. */
public enum Problem {
    /** A line is not a transition in the chosen syntax, or a name is not a valid identifier. */
    SYNTAX,
    /** There is no entry state, or more than one. */
    INITIAL_STATE,
    /** No state leads to the end: the FSM could never finish. */
    FINAL_STATE,
    /** A state is never entered, or is a dead end that is not final. */
    ORPHAN_STATE,
    /** A state cannot be reached from the entry state. */
    UNREACHABLE_STATE,
    /** A hard event ({@code event!}) is not the only event leaving its state, so it cannot fire by itself. */
    HARD_EVENT_NOT_DETERMINED,
    /**
     * A diagram construct an FSM of this library cannot mean: a composite state, concurrent regions, a fork or join,
     * a history state. The message says what to do instead.
     */
    UNSUPPORTED
}
