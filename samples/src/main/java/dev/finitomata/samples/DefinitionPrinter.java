package dev.finitomata.samples;

import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.definition.FsmDefinitionException;
import dev.finitomata.definition.FsmPath;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints an FSM definition (a file, or the demo's order workflow): its states, events, warnings, paths and Mermaid
 * diagram. Answers 1 with the problems listed when the definition is invalid.
 */
public final class DefinitionPrinter {

    private DefinitionPrinter() {
    }

    /** Prints the definition in {@code file}, or the order workflow when {@code file} is null. */
    static int run(String file, PrintStream out, PrintStream err) throws IOException {
        String source = file != null ? file : "the order workflow";
        String text = file != null ? Files.readString(Path.of(file)) : OrderFsm.DEFINITION.toMermaid();
        FsmDefinition definition;
        try {
            definition = FsmDefinition.parse(text);
        } catch (FsmDefinitionException e) {
            err.println(source + ": " + e.getMessage());
            return 1;
        }
        out.println("FSM definition: " + source);
        out.println("  states:       " + String.join(", ", definition.states()));
        out.println("  events:       " + String.join(", ", definition.events()));
        out.println("  entry:        " + definition.entryState() + " (via " + definition.entryEvent() + ")");
        out.println("  final states: " + String.join(", ", definition.finalStates()));
        out.println("  hard events:  " + String.join(", ", definition.hardEvents()));
        out.println("  soft events:  " + String.join(", ", definition.softEvents()));
        out.println("  warnings:     " + (definition.warnings().isEmpty() ? "none" : ""));
        definition.warnings().forEach(w -> out.println("    - " + w));
        out.println("  paths from entry to a final state:");
        for (FsmPath path : definition.paths(20)) {
            out.println("    " + String.join(" -> ", path.states()) + "   " + path.events());
        }
        out.println();
        out.println("Mermaid:");
        out.print(definition.toMermaid());
        return 0;
    }
}
