package dev.finitomata.definition;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * INTERNAL API. The lines of a Mermaid or PlantUML state diagram that are not transitions: what only decorates or
 * documents is read past (descriptions are kept), what an FSM of this library cannot mean is refused by name.
 *
 * <p>Design: {@link #consume} is asked about every line before the parser looks for a transition in it. It answers
 * whether the line is taken care of: skipped (a note, styling, a title, a block of them), kept as a state's
 * description, a declaration ({@code state X}, a {@code <<choice>>}), or refused with a diagnostic (composite states,
 * concurrent regions, forks, joins, history). Multi-line blocks (notes, {@code skinparam} blocks, front matter, the
 * body of a refused composite state) are skipped up to their end with a little state between lines.
 */
final class DiagramStatements {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Statements that only style or title the picture, on one line. */
    private static final Pattern IGNORED = Pattern.compile("(?i)(hide|show|scale|title|caption|header|footer|"
            + "skinparam|classDef|class|style|linkStyle|accTitle|accDescr|click|left\\s+to\\s+right|"
            + "top\\s+to\\s+bottom|!\\w+)(\\b.*|:.*)?");
    /** Statements that open a block of lines to skip, with the line that closes it. */
    private static final Map<Pattern, Pattern> BLOCKS = new LinkedHashMap<>();

    static {
        BLOCKS.put(Pattern.compile("(?i)note\\s+(left|right|top|bottom|over)(\\s+of)?\\s+[^:]*|note\\s+as\\s+\\w+"),
                Pattern.compile("(?i)end\\s*note"));
        BLOCKS.put(Pattern.compile("(?i)(skinparam\\b.*|accDescr\\s*)\\{"), Pattern.compile("\\}"));
        BLOCKS.put(Pattern.compile("(?i)title"), Pattern.compile("(?i)end\\s*title"));
        BLOCKS.put(Pattern.compile("(?i)legend\\b.*"), Pattern.compile("(?i)end\\s*legend"));
        BLOCKS.put(Pattern.compile("---"), Pattern.compile("---"));
    }

    private static final Pattern NOTE_LINE = Pattern.compile("(?i)note\\s+(\\w+(\\s+of\\s+\\S+)?\\s*:.*|\".*\"\\s+as\\s"
            + "+\\w+)");
    private static final Pattern STATE = Pattern.compile("(?i)state\\s+(?:\"([^\"]*)\"\\s+as\\s+)?(\\S+)(.*)");
    private static final Pattern STEREOTYPE = Pattern.compile("<<\\s*([\\w*]+)\\s*>>");
    private static final Pattern DESCRIPTION = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*:(.*)");
    /** {@code state c <<choice>>} and {@code state "text" as c <<choice>>}, found before the transitions. */
    private static final Pattern CHOICE = Pattern.compile("(?i)\\s*state\\s+(?:\"[^\"]*\"\\s+as\\s+)?"
            + "([A-Za-z_][A-Za-z0-9_]*)\\s*<<\\s*choice\\s*>>.*");
    private static final Set<String> POINTS = Set.of("entrypoint", "exitpoint", "inputpin", "outputpin",
            "expansioninput", "expansionoutput");

    /** What the parser is told: a description, or a problem at a position. */
    interface Sink {
        void describe(String state, String text);

        void refuse(int line, int column, String what);
    }

    private final Sink sink;
    private Pattern skippingUntil;
    private int braces;
    private boolean anythingYet;

    DiagramStatements(Sink sink) {
        this.sink = sink;
    }

    /** The {@code <<choice>>} pseudo-states declared anywhere in {@code lines}. */
    static Set<String> choices(String[] lines) {
        Set<String> found = new java.util.LinkedHashSet<>();
        for (String line : lines) {
            Matcher m = CHOICE.matcher(line);
            if (m.matches()) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    /**
     * Whether the line {@code content} (trimmed; it starts at column {@code column}) is taken care of here, so that
     * the parser does not read it as a transition. {@code arrowAt}: where its first arrow is, or -1.
     */
    boolean consume(String content, int line, int column, int arrowAt) {
        boolean first = !anythingYet;
        anythingYet = true;
        if (braces > 0) { // the body of a refused composite state
            braces += count(content, '{') - count(content, '}');
            return true;
        }
        if (skippingUntil != null) {
            if (skippingUntil.matcher(content).matches()) {
                skippingUntil = null;
            }
            return true;
        }
        if (content.equals("--") || content.equals("||")) {
            sink.refuse(line, column, "concurrent regions ('" + content + "') are not supported: an FSM is in one "
                    + "state at a time. Model each region as an FSM of its own, or one state per combination");
            return true;
        }
        if (content.contains("[H]") || content.contains("[H*]")) {
            sink.refuse(line, column + content.indexOf("[H"), "history states ([H], [H*]) are not supported: keep "
                    + "the state to go back to in the payload and choose it in onTransition");
            return true;
        }
        if (arrowAt >= 0) {
            return false; // a transition
        }
        for (Map.Entry<Pattern, Pattern> block : BLOCKS.entrySet()) {
            if (block.getKey().matcher(content).matches() && (!content.equals("---") || first)) {
                skippingUntil = block.getValue();
                return true;
            }
        }
        if (NOTE_LINE.matcher(content).matches() || IGNORED.matcher(content).matches()
                || IDENTIFIER.matcher(content).matches()) {
            return true; // a note, styling, or a state declared by its name alone
        }
        Matcher state = STATE.matcher(content);
        if (state.matches()) {
            return declare(state, line, column);
        }
        Matcher description = DESCRIPTION.matcher(content);
        if (description.matches() && !description.group(2).startsWith("::")) {
            sink.describe(description.group(1), description.group(2).strip());
            return true;
        }
        return false;
    }

    /** {@code state X ...}: a declaration, a description, a choice, or something refused. */
    private boolean declare(Matcher state, int line, int column) {
        String name = state.group(2);
        String rest = state.group(3);
        int brace = name.indexOf('{');
        if (brace >= 0 || rest.contains("{")) {
            String composite = brace >= 0 ? name.substring(0, brace) : name;
            sink.refuse(line, column, "composite state '" + composite + "' (state " + composite + " { ... }) is not "
                    + "supported: an FSM of this library is flat. Write its inner states and their transitions at the "
                    + "top level, with events into and out of them");
            braces = count(rest, '{') + (brace >= 0 ? 1 : 0) - count(rest, '}');
            return true;
        }
        if (!IDENTIFIER.matcher(name).matches()) {
            sink.refuse(line, column, "'" + name + "' is not a valid state name: use letters, digits and '_', not "
                    + "starting with a digit (for a name with spaces: state \"the name\" as an_id)");
            return true;
        }
        Matcher stereotype = STEREOTYPE.matcher(rest);
        while (stereotype.find()) {
            String kind = stereotype.group(1).toLowerCase(Locale.ROOT);
            String refused = switch (kind) {
                case "fork", "join" -> "'<<" + kind + ">>' is not supported: an FSM is in one state at a time. Run "
                        + "parallel work as FSMs of their own: a state may fork child FSMs (FsmBehavior.onFork) and "
                        + "take an event when each ends";
                case "history", "history*" -> "'<<" + kind + ">>' is not supported: keep the state to go back to "
                        + "in the payload and choose it in onTransition";
                case "start", "end" -> "'<<" + kind + ">>' is not supported: write '[*] --> state' for the start "
                        + "and 'state --> [*]' for an end";
                default -> POINTS.contains(kind) ? "'<<" + stereotype.group(1) + ">>' belongs to composite states, "
                        + "which are not supported" : null; // choice, or a stereotype that only styles
            };
            if (refused != null) {
                sink.refuse(line, column + state.start(3) + stereotype.start(), refused);
                return true;
            }
        }
        if (state.group(1) != null) {
            sink.describe(name, state.group(1).strip());
        }
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            sink.describe(name, rest.substring(colon + 1).strip());
        }
        return true;
    }

    private static int count(String text, char c) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            n += text.charAt(i) == c ? 1 : 0;
        }
        return n;
    }
}
