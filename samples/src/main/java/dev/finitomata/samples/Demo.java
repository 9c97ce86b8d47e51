package dev.finitomata.samples;

import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.definition.FsmDefinitionException;
import dev.finitomata.definition.FsmPath;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's demo: parses an FSM definition (a file given as the only argument, or a built-in order workflow) and
 * prints its states, events, warnings, paths and Mermaid diagram. Exits 1 with the problems listed when the
 * definition is invalid, 2 on bad usage.
 */
public final class Demo {

    /** The built-in example: an order workflow with a hard and a soft event. */
    static final String ORDER = """
            %% An order, from creation to delivery
            [*] --> created : place
            created --> paid : pay
            created --> cancelled : cancel
            paid --> packed : pack!
            packed --> shipped : ship
            shipped --> delivered : deliver?
            shipped --> shipped : track
            delivered --> [*] : close
            cancelled --> [*] : close
            """;

    private Demo() {
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            err.println("usage: Demo [definition-file]   (without a file, a built-in order workflow is shown)");
            return 2;
        }
        String source = args.length == 1 ? args[0] : "built-in order workflow";
        String text = args.length == 1 ? Files.readString(Path.of(args[0])) : ORDER;
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
