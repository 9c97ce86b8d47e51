package dev.finitomata;

/** How a running FSM came to be. */
public enum Lifecycle {
    /** Started fresh by {@code start}: {@code onStart} ran and the entry transition fired. */
    CREATED,
    /** Restored from persistence instead of started fresh. */
    LOADED,
    /** Its start failed ({@code onStart} or the entry transition); it is stopping and nothing was persisted. */
    FAILED
}
