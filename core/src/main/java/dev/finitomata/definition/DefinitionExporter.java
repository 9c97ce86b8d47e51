package dev.finitomata.definition;

/**
 * INTERNAL API. Writes a definition as a state diagram (Mermaid, PlantUML) or as Graphviz DOT.
 *
 * <p>Design: state diagrams keep every transition explicitly, {@code [*]} and implicit events included, and every
 * state description ({@code state : text}, a line each), so parsing the output gives back an equal definition with
 * the same descriptions. A transition that went through a {@code <<choice>>} is written as resolved.
 */
final class DefinitionExporter {

    private DefinitionExporter() {
    }

    static String stateDiagram(FsmDefinition definition, String header, String footer) {
        StringBuilder text = new StringBuilder(header).append('\n');
        for (FsmTransition t : definition.transitions()) {
            text.append("    ").append(node(t.from())).append(" --> ").append(node(t.to()))
                    .append(" : ").append(t.event()).append('\n');
        }
        for (String state : definition.states()) {
            definition.description(state).ifPresent(described -> described.lines().forEach(line ->
                    text.append("    ").append(state).append(" : ").append(line).append('\n')));
        }
        if (!footer.isEmpty()) {
            text.append(footer).append('\n');
        }
        return text.toString();
    }

    static String dot(FsmDefinition definition) {
        StringBuilder text = new StringBuilder("digraph fsm {\n    rankdir=LR;\n");
        text.append("    \"[*]start\" [shape=point, width=0.2];\n    \"[*]end\" [shape=doublecircle, label=\"\", "
                + "width=0.2];\n");
        for (String state : definition.states()) {
            text.append("    \"").append(state).append("\" [shape=box, style=rounded];\n");
        }
        for (FsmTransition t : definition.transitions()) {
            String from = t.from().equals(FsmDefinition.PSEUDO_STATE) ? "[*]start" : t.from();
            String to = t.to().equals(FsmDefinition.PSEUDO_STATE) ? "[*]end" : t.to();
            text.append("    \"").append(from).append("\" -> \"").append(to).append("\" [label=\"").append(t.event())
                    .append("\"];\n");
        }
        return text.append("}\n").toString();
    }

    private static String node(String state) {
        return state.equals(FsmDefinition.PSEUDO_STATE) ? DefinitionParser.PSEUDO_TOKEN : state;
    }
}
