package dev.finitomata.testkit;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;

/**
 * A wallet with a planted bug for the random walks to find: a withdrawal of 10 is allowed from a balance of 5. The
 * shortest sequence that overdraws it is {@code deposit, withdraw}. {@code audit} throws when its payload is above 8
 * (a callback bug of another kind).
 */
public final class Wallet extends FsmBehavior<Integer> {

    static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            [*] --> open : create
            open --> open : deposit
            open --> open : withdraw
            open --> frozen : freeze
            frozen --> open : thaw
            frozen --> frozen : audit
            frozen --> closed : close
            closed --> [*] : archive
            """);

    /** Set by a test: whether the overdraft bug is in. */
    static volatile boolean buggy = true;

    public Wallet(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected Transition<Integer> onTransition(String state, String event, Object eventPayload, Integer balance)
            throws Exception {
        return switch (event) {
            case "deposit" -> Transition.to("open", balance + 5);
            case "withdraw" -> balance >= (buggy ? 5 : 10) ? Transition.to("open", balance - 10)
                    : Transition.fail("balance " + balance + " is too low");
            case "audit" -> {
                if (eventPayload instanceof Integer n && n > 8) {
                    throw new IllegalStateException("audit " + n + " crashed");
                }
                yield Transition.to("frozen", balance);
            }
            default -> super.onTransition(state, event, eventPayload, balance);
        };
    }
}
