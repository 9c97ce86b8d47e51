package dev.finitomata;

/** What {@link FsmSupervisor#start} did. */
public enum StartResult {
    /** A new FSM was started with the given payload. */
    STARTED,
    /** The name had persisted state: the FSM was restored from it and the given payload was ignored. */
    LOADED,
    /** An FSM of that name was already running; nothing changed. */
    ALREADY_STARTED
}
