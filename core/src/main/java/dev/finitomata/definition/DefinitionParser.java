package dev.finitomata.definition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * INTERNAL API. Turns definition text into located transitions, line by line, in one pass.
 *
 * <p>Design: each line is stripped of noise (comments, headers, a trailing {@code ;}, {@code :::style} suffixes),
 * offered to {@link DiagramStatements} (notes, styling, descriptions, declarations, refused constructs), and
 * otherwise split at its arrow ({@code -->}; in a state diagram also PlantUML's {@code ->}, {@code -left->},
 * {@code -[#red]->}...), its tokens checked against the identifier grammar. Every token keeps its 1-based column in
 * the raw line so that errors point at it. Syntax errors are collected rather than thrown, so that all of them can be
 * reported at once. A {@code <<choice>>} pseudo-state is resolved at the end: {@code a --> c : e} with
 * {@code c --> x : guard} and {@code c --> y : guard} becomes {@code a --> x, y : e}, the guards kept as text.
 */
final class DefinitionParser {

    /** A transition as written, with the position of its tokens. */
    record Located(FsmTransition transition, int line, int fromColumn, int eventColumn, int toColumn) {
    }

    /**
     * What the parser found: transitions in text order, syntax errors, the states' descriptions and the guard texts
     * of the transitions that went through a choice.
     */
    record Result(List<Located> transitions, List<FsmDiagnostic> errors, Map<String, String> descriptions,
                  Map<FsmTransition, String> guards) {
    }

    /** A way out of a choice pseudo-state, as written. */
    private record ChoiceOut(String target, String guard) {
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
    /** PlantUML's arrows: {@code ->}, {@code -->}, {@code -left->}, {@code -d->}, {@code -[#red,dashed]->}... */
    private static final Pattern STATE_ARROW = Pattern.compile(
            "-+(\\[[^\\]]*\\])?(left|right|up|down|le|ri|do|l|r|u|d)?(\\[[^\\]]*\\])?-*>");
    /** Mermaid's {@code state:::style}. */
    private static final Pattern STYLE_SUFFIX = Pattern.compile(":::[\\w-]+");

    private final Syntax syntax;
    private final List<Located> transitions = new ArrayList<>();
    private final List<FsmDiagnostic> errors = new ArrayList<>();
    private final Map<String, String> descriptions = new LinkedHashMap<>();
    private final Map<FsmTransition, String> guards = new LinkedHashMap<>();
    private final Map<String, List<ChoiceOut>> choices = new LinkedHashMap<>();
    private final DiagramStatements statements;
    private boolean inBlockComment;

    private DefinitionParser(Syntax syntax, Set<String> choiceStates) {
        this.syntax = syntax;
        choiceStates.forEach(c -> choices.put(c, new ArrayList<>()));
        this.statements = new DiagramStatements(new DiagramStatements.Sink() {
            @Override
            public void describe(String state, String text) {
                descriptions.merge(state, text, (before, more) -> before + "\n" + more);
            }

            @Override
            public void refuse(int line, int column, String what) {
                errors.add(FsmDiagnostic.at(Problem.UNSUPPORTED, line, column, what));
            }
        });
    }

    /** A {@code |event|} label anywhere means flowchart; anything else is read as a state diagram. */
    static Syntax detect(String text) {
        return FLOWCHART_LABEL.matcher(text).find() ? Syntax.FLOWCHART : Syntax.STATE_DIAGRAM;
    }

    static Result parse(String text, Syntax syntax) {
        String[] lines = text.split("\\R", -1);
        DefinitionParser parser = new DefinitionParser(syntax, syntax == Syntax.STATE_DIAGRAM
                ? DiagramStatements.choices(lines) : Set.of());
        for (int i = 0; i < lines.length; i++) {
            parser.parseLine(lines[i], i + 1);
        }
        List<Located> resolved = parser.resolveChoices();
        Set<String> named = new HashSet<>();
        resolved.forEach(l -> {
            named.add(l.transition().from());
            named.add(l.transition().to());
        });
        parser.descriptions.keySet().retainAll(named);
        return new Result(List.copyOf(resolved), List.copyOf(parser.errors), Map.copyOf(parser.descriptions),
                Map.copyOf(parser.guards));
    }

    /** Blanks out comments and style suffixes, keeping every other character in its column. */
    private String withoutNoise(String raw) {
        String text = raw;
        if (inBlockComment) {
            int close = text.indexOf("'/");
            if (close < 0) {
                return "";
            }
            inBlockComment = false;
            text = blank(text, 0, close + 2);
        }
        int open = syntax == Syntax.STATE_DIAGRAM ? text.indexOf("/'") : -1;
        while (open >= 0) {
            int close = text.indexOf("'/", open + 2);
            if (close < 0) {
                inBlockComment = true;
                text = text.substring(0, open);
                break;
            }
            text = blank(text, open, close + 2);
            open = text.indexOf("/'");
        }
        int comment = text.indexOf("%%");
        if (comment >= 0) {
            text = text.substring(0, comment);
        }
        Matcher style = STYLE_SUFFIX.matcher(text);
        return style.find() ? style.replaceAll(m -> " ".repeat(m.group().length())) : text;
    }

    private static String blank(String text, int from, int to) {
        return text.substring(0, from) + " ".repeat(to - from) + text.substring(to);
    }

    /** Where the line's arrow is, from {@code start}: {start, end} of it, or null. */
    private int[] arrow(String raw, int start, int end) {
        if (syntax == Syntax.FLOWCHART) {
            int at = raw.indexOf(ARROW, start);
            return at < 0 || at >= end ? null : new int[] {at, at + ARROW.length()};
        }
        Matcher m = STATE_ARROW.matcher(raw).region(start, end);
        return m.find() ? new int[] {m.start(), m.end()} : null;
    }

    private void parseLine(String original, int line) {
        String raw = withoutNoise(original);
        int start = 0;
        int end = raw.length();
        while (start < end && Character.isWhitespace(raw.charAt(start))) {
            start++;
        }
        while (end > start && (Character.isWhitespace(raw.charAt(end - 1)) || raw.charAt(end - 1) == ';')) {
            end--;
        }
        String content = raw.substring(start, end);
        if (content.isEmpty() || content.startsWith("'") || content.startsWith("#")
                || HEADER.matcher(content).matches()) {
            return;
        }
        int[] arrow = arrow(raw, start, end);
        if (syntax == Syntax.STATE_DIAGRAM) {
            int colon = content.indexOf(':');
            boolean described = colon >= 0 && (arrow == null || start + colon < arrow[0]);
            if (statements.consume(content, line, start + 1, arrow == null || described ? -1 : arrow[0])) {
                return;
            }
        }
        if (arrow == null) {
            error(line, start + 1, "expected a transition, " + example() + ", but found '" + content + "'");
            return;
        }
        Token from = token(raw, start, arrow[0]);
        if (syntax == Syntax.FLOWCHART) {
            parseFlowchart(raw, line, from, arrow[1], end);
        } else {
            parseStateDiagram(raw, line, from, arrow[1], end);
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
        if (choices.containsKey(from.text())) {
            leaveChoice(raw, line, from, rest, end);
            return;
        }
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

    /** {@code c --> x : guard text}: a way out of the choice {@code c}; the guard is free text, kept as written. */
    private void leaveChoice(String raw, int line, Token choice, int rest, int end) {
        int colon = raw.indexOf(':', rest);
        boolean guarded = colon >= 0 && colon < end;
        List<Token> targets = splitTargets(raw, rest, guarded ? colon : end, line);
        String guard = guarded ? raw.substring(colon + 1, end).strip() : "";
        for (Token target : targets) {
            if (checkState(target, line, "target state")) {
                choices.get(choice.text()).add(new ChoiceOut(pseudo(target), guard));
            }
        }
    }

    /**
     * Replaces every transition into a choice by transitions to where the choice leads (through further choices),
     * with their guards; a choice that leads nowhere, or only to itself, is an error at the transition into it.
     */
    private List<Located> resolveChoices() {
        if (choices.isEmpty()) {
            return transitions;
        }
        List<Located> resolved = new ArrayList<>();
        for (Located l : transitions) {
            FsmTransition t = l.transition();
            if (!choices.containsKey(t.to())) {
                resolved.add(l);
                continue;
            }
            Map<String, String> targets = new LinkedHashMap<>();
            collect(t.to(), new HashSet<>(), targets);
            if (targets.isEmpty()) {
                error(l.line(), l.toColumn(), "choice '" + t.to() + "' leads nowhere: add its ways out, as in '"
                        + t.to() + " --> state : guard'");
            }
            targets.forEach((target, guard) -> {
                FsmTransition through = new FsmTransition(t.from(), t.event(), target);
                resolved.add(new Located(through, l.line(), l.fromColumn(), l.eventColumn(), l.toColumn()));
                if (!guard.isEmpty()) {
                    guards.merge(through, guard, (a, b) -> a + " / " + b);
                }
            });
        }
        return resolved;
    }

    private void collect(String choice, Set<String> seen, Map<String, String> targets) {
        if (!seen.add(choice)) {
            return;
        }
        for (ChoiceOut out : choices.get(choice)) {
            if (choices.containsKey(out.target())) {
                collect(out.target(), seen, targets);
            } else {
                targets.merge(out.target(), out.guard(), (a, b) -> a.isEmpty() ? b : b.isEmpty() ? a : a + " / " + b);
            }
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
