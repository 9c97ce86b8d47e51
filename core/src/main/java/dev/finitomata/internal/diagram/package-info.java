/** INTERNAL API. The javac annotation processor behind {@code @FsmDiagram}. */
package dev.finitomata.internal.diagram;
