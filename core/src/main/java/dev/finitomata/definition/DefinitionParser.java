package dev.finitomata.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * INTERNAL API. Turns definition text into located transitions, line by line, in one pass.
 *
 * <p>Design: each line is stripped of noise (comments, headers, a trailing {@code ;}), split at {@code -->}, and its
 * tokens checked against the identifier grammar. Every token keeps its 1-based column in the raw line so that
 * errors point at it. Syntax errors are collected rather than thrown, so that all of them can be reported at once.
 */
final class DefinitionParser {

    /** A transition as written, with the position of its tokens. */
    record Located(FsmTransition transition, int line, int fromColumn, int eventColumn, int toColumn) {
    }

    /** What the parser found: transitions in text order, and syntax errors. */
    record Result(List<Located> transitions, List<FsmDiagnostic> errors) {
    }

    private record Token(String text, int column) {
        boolean isEmpty() {
            return text.isEmpty();
        }
    }

    static final String ARROW = "-->";
    static final String PSEUDO_TOKEN = "[*]";
    private static final Pattern STATE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern EVENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*[!?]?");
    private static final Pattern FLOWCHART_LABEL = Pattern.compile("-->\\s*\\|");
    private static final Pattern HEADER = Pattern.compile(
            "(?i)(graph|flowchart)(\\s+\\w+)?|statediagram(-v2)?|@startuml.*|@enduml|direction\\s+\\w+");

    private final Syntax syntax;
    private final List<Located> transitions = new ArrayList<>();
    private final List<FsmDiagnostic> errors = new ArrayList<>();

    private DefinitionParser(Syntax syntax) {
        this.syntax = syntax;
    }

    /** A {@code |event|} label anywhere means flowchart; anything else is read as a state diagram. */
    static Syntax detect(String text) {
        return FLOWCHART_LABEL.matcher(text).find() ? Syntax.FLOWCHART : Syntax.STATE_DIAGRAM;
    }

    static Result parse(String text, Syntax syntax) {
        DefinitionParser parser = new DefinitionParser(syntax);
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            parser.parseLine(lines[i], i + 1);
        }
        return new Result(List.copyOf(parser.transitions), List.copyOf(parser.errors));
    }

    private void parseLine(String raw, int line) {
        int start = 0;
        int end = raw.length();
        while (start < end && Character.isWhitespace(raw.charAt(start))) {
            start++;
        }
        while (end > start && (Character.isWhitespace(raw.charAt(end - 1)) || raw.charAt(end - 1) == ';')) {
            end--;
        }
        String content = raw.substring(start, end);
        if (content.isEmpty() || content.startsWith("%%") || content.startsWith("'") || content.startsWith("#")
                || HEADER.matcher(content).matches()) {
            return;
        }
        int arrow = raw.indexOf(ARROW, start);
        if (arrow < 0 || arrow >= end) {
            error(line, start + 1, "expected a transition, " + example() + ", but found '" + content + "'");
            return;
        }
        Token from = token(raw, start, arrow);
        if (syntax == Syntax.FLOWCHART) {
            parseFlowchart(raw, line, from, arrow + ARROW.length(), end);
        } else {
            parseStateDiagram(raw, line, from, arrow + ARROW.length(), end);
        }
    }

    private void parseFlowchart(String raw, int line, Token from, int rest, int end) {
        int open = skipSpaces(raw, rest, end);
        if (open >= end || raw.charAt(open) != '|') {
            String hint = raw.substring(rest, end).contains(":")
                    ? "this looks like state-diagram syntax; in a flowchart write 'a --> |event| b'"
                    : "a flowchart transition needs an event label: 'a --> |event| b'";
            error(line, open + 1, "missing |event| after '-->': " + hint);
            return;
        }
        int close = raw.indexOf('|', open + 1);
        if (close < 0 || close >= end) {
            error(line, open + 1, "unclosed event label: write '|event|' with a closing '|'");
            return;
        }
        Token event = token(raw, open + 1, close);
        if (event.isEmpty()) {
            error(line, open + 1, "empty event label '||': name the event, as in 'a --> |go| b'");
            return;
        }
        boolean ok = checkState(from, line, "source state") & checkEvent(event, line);
        List<Token> targets = splitTargets(raw, close + 1, end, line);
        for (Token target : targets) {
            ok &= checkState(target, line, "target state");
        }
        if (ok) {
            targets.forEach(target -> add(from, event, target, line));
        }
    }

    private void parseStateDiagram(String raw, int line, Token from, int rest, int end) {
        if (raw.substring(rest, end).contains("|")) {
            error(line, raw.indexOf('|', rest) + 1,
                    "'|event|' labels are flowchart syntax; in a state diagram write 'a --> b : event'");
            return;
        }
        int colon = raw.indexOf(':', rest);
        boolean hasEvent = colon >= 0 && colon < end;
        List<Token> targets = splitTargets(raw, rest, hasEvent ? colon : end, line);
        Token event = hasEvent ? token(raw, colon + 1, end) : new Token("", end + 1);
        boolean ok = checkState(from, line, "source state");
        for (Token target : targets) {
            ok &= checkState(target, line, "target state");
        }
        if (!ok || targets.isEmpty()) {
            return;
        }
        boolean fromStart = from.text().equals(PSEUDO_TOKEN);
        boolean toEnd = targets.stream().anyMatch(t -> t.text().equals(PSEUDO_TOKEN));
        if (fromStart && toEnd) {
            error(line, from.column(), "'[*] --> [*]' goes from the start straight to the end: "
                    + "the FSM needs at least one state in between");
            return;
        }
        if (hasEvent && event.isEmpty()) {
            error(line, colon + 1, "missing event after ':': write 'a --> b : event'");
            return;
        }
        if (!hasEvent) {
            if (!fromStart && !toEnd) {
                error(line, end + 1, "transition '" + from.text() + " --> " + targets.get(0).text()
                        + "' has no event: write '" + from.text() + " --> " + targets.get(0).text() + " : event'");
                return;
            }
            event = new Token(fromStart ? FsmDefinition.START_EVENT : FsmDefinition.END_EVENT, end + 1);
        } else if (!checkEvent(event, line)) {
            return;
        }
        for (Token target : targets) {
            add(from, event, target, line);
        }
    }

    private List<Token> splitTargets(String raw, int from, int to, int line) {
        List<Token> targets = new ArrayList<>();
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || raw.charAt(i) == ',') {
                Token target = token(raw, start, i);
                if (target.isEmpty()) {
                    error(line, target.column(), "missing target state: " + example());
                    return List.of();
                }
                targets.add(target);
                start = i + 1;
            }
        }
        return targets;
    }

    private boolean checkState(Token token, int line, String role) {
        if (token.text().equals(PSEUDO_TOKEN)) {
            if (syntax == Syntax.STATE_DIAGRAM) {
                return true;
            }
            error(line, token.column(), "'[*]' is state-diagram syntax; a flowchart has none: its entry is the one "
                    + "state no transition leads to and its final states are those with no transition out");
            return false;
        }
        if (token.isEmpty()) {
            error(line, token.column(), "missing " + role + ": " + example());
            return false;
        }
        if (!STATE.matcher(token.text()).matches()) {
            error(line, token.column(), "'" + token.text() + "' is not a valid " + role
                    + " name: use letters, digits and '_', not starting with a digit");
            return false;
        }
        return true;
    }

    private boolean checkEvent(Token token, int line) {
        String name = token.text();
        if (name.endsWith("!?") || name.endsWith("?!")) {
            error(line, token.column(), "event '" + name + "' is both hard and soft: an event may end in '!' (hard) "
                    + "or '?' (soft), not both");
            return false;
        }
        if (!EVENT.matcher(name).matches()) {
            error(line, token.column(), "'" + name + "' is not a valid event name: use letters, digits and '_', "
                    + "not starting with a digit; it may end in '!' (hard) or '?' (soft)");
            return false;
        }
        return true;
    }

    private void add(Token from, Token event, Token to, int line) {
        FsmTransition transition = new FsmTransition(pseudo(from), event.text(), pseudo(to));
        transitions.add(new Located(transition, line, from.column(), event.column(), to.column()));
    }

    private static String pseudo(Token token) {
        return token.text().equals(PSEUDO_TOKEN) ? FsmDefinition.PSEUDO_STATE : token.text();
    }

    /** The trimmed text of {@code raw[from, to)} and the 1-based column where it starts. */
    private static Token token(String raw, int from, int to) {
        int start = skipSpaces(raw, from, to);
        int end = to;
        while (end > start && Character.isWhitespace(raw.charAt(end - 1))) {
            end--;
        }
        return new Token(raw.substring(start, end), start + 1);
    }

    private static int skipSpaces(String raw, int from, int to) {
        int i = from;
        while (i < to && Character.isWhitespace(raw.charAt(i))) {
            i++;
        }
        return i;
    }

    private String example() {
        return syntax == Syntax.FLOWCHART ? "'from --> |event| to'" : "'from --> to : event'";
    }

    private void error(int line, int column, String what) {
        errors.add(FsmDiagnostic.at(Problem.SYNTAX, line, column, what));
    }
}
