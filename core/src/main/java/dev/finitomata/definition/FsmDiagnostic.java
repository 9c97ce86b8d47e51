package dev.finitomata.definition;

import java.util.Objects;

/**
 * One problem found in a definition text.
 *
 * @param problem what kind of mistake it is
 * @param line    1-based line of the text, or 0 when the problem is not tied to one line
 * @param column  1-based column in that line, or 0 when not tied to a line
 * @param message what is wrong and how to fix it, prefixed with the position when there is one
 */
public record FsmDiagnostic(Problem problem, int line, int column, String message) {

    /** @throws NullPointerException if {@code problem} or {@code message} is null */
    public FsmDiagnostic {
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(message, "message");
    }

    static FsmDiagnostic at(Problem problem, int line, int column, String what) {
        String where = line > 0 ? "line " + line + ", column " + column + ": " : "";
        return new FsmDiagnostic(problem, line, column, where + what);
    }
}
