/**
 * The FSM definition language: parse a Mermaid flowchart or a PlantUML/Mermaid state diagram into a validated
 * {@link dev.finitomata.definition.FsmDefinition}, query it, search it and export it.
 *
 * <p>Pure Java with no dependency on Pekko, so that it can also run at compile time.
 */
package dev.finitomata.definition;
