package dev.finitomata.testkit;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmState;
import dev.finitomata.TimerResult;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A subscription with time in it: delayed reminders and expiries, and an hourly timer that bills an active account
 * and lets it lapse after 30 days. Every transition is written into the payload with the time it happened (the
 * FSM's clock, in hours since {@link Account#since}), so a test sees what fired when.
 */
public final class Subscription extends FsmBehavior<Subscription.Account> {

    static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            trial --> |remind| reminded
            trial --> |subscribe| active
            reminded --> |subscribe| active
            reminded --> |expire| expired
            trial --> |expire| expired
            active --> |lapse| expired
            expired --> |close!| closed
            """);

    static final int HOURS_PAID = 30 * 24;

    /**
     * @param since  when the account was opened (epoch millis of the FSM's clock)
     * @param billed hours billed by the timer while active
     * @param seen   every transition, as {@code event@hour}
     */
    public record Account(long since, int billed, List<String> seen) {

        Account with(String event, long now) {
            List<String> next = new ArrayList<>(seen);
            next.add(event + "@" + Duration.ofMillis(now - since).toHours());
            return new Account(since, billed, next);
        }
    }

    public Subscription(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected Transition<Account> onTransition(String state, String event, Object eventPayload, Account account)
            throws Exception {
        String next = targetOf(state, event);
        return Transition.to(next, state.equals(FsmDefinition.PSEUDO_STATE) ? account
                : account.with(event, context().clock().millis()));
    }

    @Override
    protected Optional<Duration> timer() {
        return Optional.of(Duration.ofHours(1));
    }

    @Override
    protected TimerResult<Account> onTimer(String state, FsmState<Account> fsm) {
        if (!state.equals("active")) {
            return TimerResult.ok();
        }
        Account billed = new Account(fsm.payload().since(), fsm.payload().billed() + 1, fsm.payload().seen());
        return billed.billed() >= HOURS_PAID ? TimerResult.transition("lapse", null, billed)
                : TimerResult.update(billed);
    }
}
