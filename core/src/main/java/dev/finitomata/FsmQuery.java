package dev.finitomata;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which running FSMs {@link FsmSupervisor#find} lists: those in one state, optionally only those that entered it
 * before an instant, oldest first (by the time they entered the state, then by name), at most {@link #limit()}.
 * Immutable; each method returns a copy.
 *
 * <pre>{@code
 * // orders waiting for payment for more than an hour, the 50 oldest
 * orders.find(FsmQuery.inState("awaiting_payment").enteredBefore(now.minus(Duration.ofHours(1))).limit(50));
 * // the next page
 * orders.find(query.after(page.get(page.size() - 1)));
 * }</pre>
 */
public final class FsmQuery {

    /** How many results a query without {@link #limit(int)} returns at most. */
    public static final int DEFAULT_LIMIT = 1_000;

    private final String state;
    private final Instant enteredBefore;
    private final int limit;
    private final FsmSummary after;

    private FsmQuery(String state, Instant enteredBefore, int limit, FsmSummary after) {
        this.state = state;
        this.enteredBefore = enteredBefore;
        this.limit = limit;
        this.after = after;
    }

    /**
     * The running FSMs in {@code state}.
     *
     * @throws NullPointerException     if {@code state} is null
     * @throws IllegalArgumentException if {@code state} is blank
     */
    public static FsmQuery inState(String state) {
        Objects.requireNonNull(state, "state");
        if (state.isBlank()) {
            throw new IllegalArgumentException("state must not be blank");
        }
        return new FsmQuery(state, null, DEFAULT_LIMIT, null);
    }

    /**
     * Only the FSMs that entered the state strictly before {@code t} (for "stuck for more than an hour", pass an
     * hour ago).
     *
     * @throws NullPointerException if {@code t} is null
     */
    public FsmQuery enteredBefore(Instant t) {
        return new FsmQuery(state, Objects.requireNonNull(t, "t"), limit, after);
    }

    /**
     * At most {@code n} results [{@value #DEFAULT_LIMIT}].
     *
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public FsmQuery limit(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + n);
        }
        return new FsmQuery(state, enteredBefore, n, after);
    }

    /**
     * The next page: only the FSMs that come after {@code last} in the order (entered later, or at the same time
     * with a greater name); pass the last result of the previous page.
     *
     * @throws NullPointerException if {@code last} is null
     */
    public FsmQuery after(FsmSummary last) {
        return new FsmQuery(state, enteredBefore, limit, Objects.requireNonNull(last, "last"));
    }

    /** The state asked for. */
    public String state() {
        return state;
    }

    /** The instant the FSMs must have entered the state before, if any. */
    public Optional<Instant> enteredBeforeInstant() {
        return Optional.ofNullable(enteredBefore);
    }

    /** The most results returned. */
    public int limit() {
        return limit;
    }

    /** The result the page starts after, if any. */
    public Optional<FsmSummary> afterSummary() {
        return Optional.ofNullable(after);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FsmQuery q && state.equals(q.state) && Objects.equals(enteredBefore, q.enteredBefore)
                && limit == q.limit && Objects.equals(after, q.after);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, enteredBefore, limit, after);
    }

    @Override
    public String toString() {
        return "FsmQuery(inState " + state + (enteredBefore == null ? "" : ", enteredBefore " + enteredBefore)
                + ", limit " + limit + (after == null ? "" : ", after " + after.name()) + ")";
    }
}
