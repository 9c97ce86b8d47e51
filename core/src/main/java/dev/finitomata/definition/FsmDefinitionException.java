package dev.finitomata.definition;

import java.io.Serial;
import java.util.Comparator;
import java.util.List;

/**
 * Thrown by {@link FsmDefinition#parse(String)} when the text is not a valid FSM definition.
 *
 * <p>{@link #line()}, {@link #column()} and {@link #problem()} describe the first problem by line (problems not tied
 * to a line come last); {@link #problems()} lists every problem found, so that an editor can show them all.
 */
public final class FsmDefinitionException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final Comparator<FsmDiagnostic> BY_POSITION = Comparator
            .comparingInt((FsmDiagnostic d) -> d.line() == 0 ? Integer.MAX_VALUE : d.line())
            .thenComparingInt(FsmDiagnostic::column);

    private final transient List<FsmDiagnostic> problems;

    FsmDefinitionException(List<FsmDiagnostic> problems) {
        this(problems.stream().sorted(BY_POSITION).toList(), true);
    }

    private FsmDefinitionException(List<FsmDiagnostic> sorted, boolean ignored) {
        super(message(sorted));
        this.problems = sorted;
    }

    private static String message(List<FsmDiagnostic> sorted) {
        StringBuilder text = new StringBuilder("Invalid FSM definition: ").append(sorted.get(0).message());
        if (sorted.size() > 1) {
            text.append("\nOther problems:");
            sorted.subList(1, sorted.size()).forEach(d -> text.append("\n  ").append(d.message()));
        }
        return text.toString();
    }

    /** The 1-based line of the first problem, or 0 when it is not tied to a line. */
    public int line() {
        return problems.get(0).line();
    }

    /** The 1-based column of the first problem, or 0 when it is not tied to a line. */
    public int column() {
        return problems.get(0).column();
    }

    /** The kind of the first problem. */
    public Problem problem() {
        return problems.get(0).problem();
    }

    /** Every problem found, sorted by position (never empty). */
    public List<FsmDiagnostic> problems() {
        return problems;
    }
}
