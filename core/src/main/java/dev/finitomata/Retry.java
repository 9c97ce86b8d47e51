package dev.finitomata;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How the hard event of a state is retried when it fails (Finitomata's {@code ensure_entry}): return one from
 * {@link FsmBehavior#retry(String)} for that state. Immutable; build it with {@link #attempts(int)} and the
 * {@code with} methods:
 *
 * <pre>{@code
 * Retry.attempts(5).backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)).jitter(0.2).thenMoveTo("shipment_failed")
 * }</pre>
 *
 * <p>An attempt fails when {@code onExit} or {@code onTransition} throws, returns {@link Transition#fail}, or chooses
 * a target the event does not lead to, or when the payload cannot be journaled. Each failed attempt is a failure like
 * any other: {@code onFailure} runs, {@code lastError} records it, the listeners' {@code FsmFailed} and the metrics'
 * {@code finitomata.failures} count it. The next attempt is a delayed event of the FSM, persisted with the failure:
 * it survives a restart, a passivation and a failover, fires once, shows in {@code details} as a pending delay of the
 * hard event whose payload is the next {@link Attempt}, and runs on the test kit's virtual time. The history shows each retried failure as an
 * entry with the event {@code __retry__} (from and to the state it stays in).
 *
 * <p>When the attempts run out, the FSM either stays in its state with the last error (the default; a restart, as for
 * any failed hard event, begins a new round of attempts), or, with {@link #thenMoveTo}, takes its hard event to a
 * fallback state without calling {@code onTransition}: an ordinary committed transition, payload unchanged.
 *
 * <p>{@code onTransition} sees which attempt it runs: in a state with a retry policy, the hard event's event payload
 * is an {@link Attempt} (number 1 for the first).
 */
public final class Retry {

    /** The default first backoff (1 s) and the longest (1 min). */
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);
    /** The default jitter: each wait is lengthened by up to 20 %, at random. */
    public static final double DEFAULT_JITTER = 0.2;

    private final int attempts;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final double jitter;
    private final String fallback;

    private Retry(int attempts, Duration backoff, Duration maxBackoff, double jitter, String fallback) {
        this.attempts = attempts;
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
        this.jitter = jitter;
        this.fallback = fallback;
    }

    /**
     * At most {@code attempts} attempts in all, the first included, with the default backoff (1 s doubling up to
     * 1 min, jitter 0.2); then the FSM stays where it is with the last error.
     *
     * @throws IllegalArgumentException if {@code attempts} is below 1
     */
    public static Retry attempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("a retry policy needs at least 1 attempt, was " + attempts);
        }
        return new Retry(attempts, DEFAULT_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_JITTER, null);
    }

    /**
     * The wait before the second attempt is {@code first}; each next wait doubles, up to {@code max}.
     *
     * @throws IllegalArgumentException if {@code first} is negative or {@code max} is below it
     */
    public Retry backoff(Duration first, Duration max) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("retry backoff must be non-negative and at most its maximum, was "
                    + first + " up to " + max);
        }
        return new Retry(attempts, first, max, jitter, fallback);
    }

    /**
     * Each wait is lengthened by a random share of itself, up to {@code factor} (0 for exact waits, as in tests), so
     * that FSMs that failed together do not all retry at the same instant.
     *
     * @throws IllegalArgumentException if {@code factor} is not between 0 and 1
     */
    public Retry jitter(double factor) {
        if (!(factor >= 0 && factor <= 1)) {
            throw new IllegalArgumentException("retry jitter must be between 0 and 1, was " + factor);
        }
        return new Retry(attempts, backoff, maxBackoff, factor, fallback);
    }

    /**
     * When the attempts run out, take the hard event to {@code state}, one of its targets in the definition (checked
     * when the supervisor is created), without calling {@code onTransition}.
     */
    public Retry thenMoveTo(String state) {
        return new Retry(attempts, backoff, maxBackoff, jitter, Objects.requireNonNull(state, "state"));
    }

    /** The most attempts, the first included. */
    public int attempts() {
        return attempts;
    }

    /** The wait before the second attempt. */
    public Duration backoff() {
        return backoff;
    }

    /** The longest wait between two attempts (before jitter). */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** The largest share by which a wait is lengthened at random. */
    public double jitter() {
        return jitter;
    }

    /** Where the hard event goes when the attempts run out; empty: the FSM stays with the last error. */
    public Optional<String> fallback() {
        return Optional.ofNullable(fallback);
    }

    /**
     * The wait after attempt {@code failed} (1 for the first) failed, before jitter: {@code backoff * 2^(failed-1)},
     * at most {@code maxBackoff}.
     */
    public Duration waitAfter(int failed) {
        Duration wait = backoff;
        for (int i = 1; i < failed && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    @Override
    public String toString() {
        return "Retry(" + attempts + " attempts, backoff " + backoff + " up to " + maxBackoff + ", jitter " + jitter
                + (fallback == null ? ", then stay" : ", then move to '" + fallback + "'") + ")";
    }

    /**
     * The event payload of a hard event in a state with a retry policy: which attempt this is.
     *
     * @param number       this attempt, 1 for the first
     * @param of           the most attempts the policy allows
     * @param lastFailure  why the previous attempt failed (its {@link FsmError#reason}); null for the first attempt
     * @param lastFailedAt when the previous attempt failed, by the FSM's clock; null for the first attempt
     */
    public record Attempt(int number, int of, String lastFailure, Instant lastFailedAt) {

        /** Whether this is the last attempt the policy allows. */
        public boolean last() {
            return number >= of;
        }
    }
}
