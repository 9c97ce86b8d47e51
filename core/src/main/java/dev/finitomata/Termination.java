package dev.finitomata;

/**
 * Why an FSM's run ended, as {@link FsmBehavior#onTerminate(FsmState, Termination)} is told. A passivation, a failover
 * to another node, a node's shutdown or a crash is none of these: the FSM did not end, it comes back from its journal.
 */
public enum Termination {
    /** It reached {@code "*"}: its life is over, and a later {@code start} begins a new one. */
    FINISHED,
    /** {@code stop(name)}: it keeps its state and runs again when started ({@code LOADED}). */
    STOPPED,
    /** {@code delete(name)}: it is erased, events and snapshots. */
    DELETED
}
