package dev.finitomata.internal.engine;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmError;
import dev.finitomata.Retry;
import dev.finitomata.definition.FsmDefinition;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * INTERNAL API. The retry policies of an FSM's hard events ({@code FsmBehavior.retry(state)}), asked once per state
 * and incarnation, and what a failed attempt leads to: the next attempt, due after the policy's backoff, or the end of
 * the attempts.
 *
 * <p>Design: the next attempt is a delayed event of the FSM, id {@code retry:<event>}, whose payload is the
 * {@link Retry.Attempt} it will be; so it is journaled with the failure, re-armed by a recovery, listed by
 * {@code details} and fired once, exactly like the FSM's other delays. While it is pending, the hard event is not
 * fired on entry or recovery: the delay fires it.
 */
public final class HardRetries {

    /** The prefix of the ids of the delayed events that retry a hard event. */
    public static final String PREFIX = "retry:";
    /** The event of the history entry that records a failed attempt followed by another. */
    public static final String HISTORY_EVENT = "__retry__";
    private static final UserCode HOOKS = UserCode.get();

    /** What follows a failed attempt. */
    public sealed interface Next {
        /** Retry: persist {@code attempt} as the delayed event {@code id}, due in {@code waitMillis}. */
        record Again(String id, Retry.Attempt attempt, long waitMillis) implements Next {
        }

        /** The attempts ran out: take the hard event to {@code state}. */
        record MoveTo(String state) implements Next {
        }

        /** The attempts ran out (or there is no policy): stay, with the error. */
        record Stay() implements Next {
        }
    }

    private final FsmBehavior<?> fsm;
    private final Consumer<FsmError> record;
    private final Map<String, Optional<Retry>> policies = new HashMap<>();

    /** {@code record}: where a {@code retry(state)} that throws is recorded. */
    public HardRetries(FsmBehavior<?> fsm, Consumer<FsmError> record) {
        this.fsm = fsm;
        this.record = record;
    }

    /** The id of the delayed event that retries {@code event}. */
    public static String id(String event) {
        return PREFIX + event;
    }

    /** The policy of {@code state}; a {@code retry(state)} that throws is recorded and counts as none. */
    public Optional<Retry> policy(String state) {
        return policies.computeIfAbsent(state, s -> {
            try {
                Optional<Retry> policy = Guard.call(() -> HOOKS.retry(fsm, s));
                return policy == null ? Optional.empty() : policy;
            } catch (Guard.Threw e) {
                record.accept(FsmDecider.error(FsmError.Stage.TRANSITION, s, "retry()", null, "retry(" + s
                        + ") threw " + e.getMessage() + "; its hard event is not retried"));
                return Optional.empty();
            }
        });
    }

    /** The event payload of the first attempt of the hard event of {@code state}: null without a policy. */
    public Retry.Attempt first(String state) {
        return policy(state).map(p -> new Retry.Attempt(1, p.attempts(), null, null)).orElse(null);
    }

    /** What follows the failure of {@code attempt} of {@code event} in {@code state}, at {@code nowMillis}. */
    public Next failed(String state, String event, Retry.Attempt attempt, FsmError error, long nowMillis) {
        Optional<Retry> policy = policy(state);
        if (policy.isEmpty()) {
            return new Next.Stay();
        }
        Retry retry = policy.get();
        if (attempt.number() < retry.attempts()) {
            long wait = retry.waitAfter(attempt.number()).toMillis();
            wait += (long) (wait * retry.jitter() * ThreadLocalRandom.current().nextDouble());
            return new Next.Again(id(event), new Retry.Attempt(attempt.number() + 1, retry.attempts(),
                    error.reason(), Instant.ofEpochMilli(nowMillis)), wait);
        }
        return retry.fallback().<Next>map(Next.MoveTo::new).orElseGet(Next.Stay::new);
    }

    /** The reason of {@code error}, saying which attempt failed and what comes next. */
    public static FsmError describe(FsmError error, Retry.Attempt attempt, Next next) {
        String what = switch (next) {
            case Next.Again again -> "; attempt " + attempt.number() + " of " + attempt.of() + ", retried in "
                    + again.waitMillis() + " ms";
            case Next.MoveTo move -> "; attempt " + attempt.number() + " of " + attempt.of() + ", the last: moving "
                    + "to '" + move.state() + "'";
            case Next.Stay stay -> "; attempt " + attempt.number() + " of " + attempt.of() + ", the last: the FSM "
                    + "stays in '" + error.state() + "'";
        };
        return new FsmError(error.stage(), error.state(), error.event(), error.eventPayload(), error.reason() + what);
    }

    /**
     * Checks {@code fsm}'s policies against its definition, when a supervisor is created.
     *
     * @throws IllegalArgumentException for a policy of a state without a hard event, or with a fallback that is not
     *                                  one of the event's targets
     */
    public static void check(FsmBehavior<?> fsm, FsmDefinition definition) {
        for (String state : definition.states()) {
            Optional<Retry> policy;
            try {
                policy = HOOKS.retry(fsm, state);
            } catch (RuntimeException e) {
                continue; // recorded when the FSM meets it
            }
            if (policy == null || policy.isEmpty()) {
                continue;
            }
            Optional<String> hard = definition.hardEventOf(state);
            String type = fsm.getClass().getName();
            if (hard.isEmpty()) {
                throw new IllegalArgumentException(type + ".retry(\"" + state + "\") returns a policy, but state '"
                        + state + "' has no hard event to retry; give it one (an event ending in '!'), or return "
                        + "Optional.empty() for it");
            }
            Set<String> targets = definition.targets(state, hard.get());
            Optional<String> fallback = policy.get().fallback();
            if (fallback.isPresent() && !targets.contains(fallback.get())) {
                throw new IllegalArgumentException(type + ".retry(\"" + state + "\") moves to '" + fallback.get()
                        + "' when its attempts run out, but '" + hard.get() + "' in state '" + state + "' leads "
                        + "only to " + targets + "; add '" + state + " --> " + fallback.get() + " : " + hard.get()
                        + "' to the diagram, or move to one of those");
            }
        }
    }
}
