package dev.finitomata;

/** How a running FSM came to be. */
public enum Lifecycle {
    /** Started fresh by {@code start}: {@code onStart} ran and the entry transition fired. */
    CREATED,
    /** Restored from persistence instead of started fresh. */
    LOADED,
    /**
     * Placed straight into a state by the test kit ({@code FsmTestKit.startIn}), for tests only: no {@code onStart},
     * no entry transition, no {@code onEnter}; persisted in that state.
     */
    PLACED,
    /** Its start failed ({@code onStart} or the entry transition); it is stopping and nothing was persisted. */
    FAILED
}
