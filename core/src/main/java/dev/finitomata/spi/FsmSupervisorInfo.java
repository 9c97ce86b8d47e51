package dev.finitomata.spi;

import dev.finitomata.FsmSupervisor;
import dev.finitomata.definition.FsmDefinition;
import java.util.Map;

/**
 * What a probe learns of one supervisor: its id, its definition, and its FSMs on this node.
 */
public interface FsmSupervisorInfo {

    /** The supervisor id (the {@code id} given to {@code Finitomata.create} / {@code Infinitomata.create}). */
    String id();

    /**
     * The supervisor itself, to query it (a dashboard). For a {@code Finitomata} this is the engine behind the facade,
     * which answers every call as the facade does.
     */
    FsmSupervisor<?> supervisor();

    /** The FSM type's definition: its states and transitions bound every tag a probe may use. */
    FsmDefinition definition();

    /** The FSMs running on this node in {@code state} (passivated ones included); 0 for a state with none. */
    long countOnThisNode(String state);

    /** The FSMs running on this node, per state (a state with none is absent), as {@code countByState()} counts. */
    Map<String, Long> countByStateOnThisNode();
}
