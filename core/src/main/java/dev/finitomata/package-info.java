/**
 * Finitomata for Java: the API. Declare an FSM as a text diagram ({@link dev.finitomata.definition.FsmDefinition},
 * or {@link dev.finitomata.FsmDiagram} checked by javac), implement it by extending {@link dev.finitomata.FsmBehavior},
 * and run it under a {@link dev.finitomata.FsmSupervisor}: {@link dev.finitomata.Finitomata} on one node
 * ({@code Infinitomata} in finitomata-sharding for a cluster). Everything here is API; the engine lives in
 * {@code dev.finitomata.internal} and is never needed by user code.
 */
package dev.finitomata;
