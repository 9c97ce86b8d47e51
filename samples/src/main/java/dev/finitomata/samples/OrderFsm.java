package dev.finitomata.samples;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmDiagram;
import dev.finitomata.FsmState;
import dev.finitomata.TimerResult;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.samples.OrderFsmDefinition.Events;
import dev.finitomata.samples.OrderFsmDefinition.States;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An order, from checkout to confirmation. Shows a hard event ({@code pack!} fires by itself once paid), a soft event
 * ({@code deliver?}: a missed delivery is not an error), a blocking payment call, a timer that cancels unpaid orders,
 * and failures handled by {@code onFailure}. The diagram is checked by javac ({@link FsmDiagram}), which generates
 * {@link OrderFsmDefinition}: the definition, and a constant per state and event.
 */
@FsmDiagram("""
        %% Order fulfilment: 'pack!' is hard (fires by itself), 'deliver?' is soft (may fail quietly)
        [*] --> created : place
        created --> awaiting_payment : checkout
        awaiting_payment --> paid : pay
        awaiting_payment --> cancelled : cancel
        paid --> packed : pack!
        packed --> shipped : ship
        shipped --> delivered : deliver?
        delivered --> confirmed : confirm
        confirmed --> [*] : archive
        cancelled --> [*] : archive
        """)
public final class OrderFsm extends FsmBehavior<Order> {

    /** The workflow (generated from the diagram above). */
    public static final FsmDefinition DEFINITION = OrderFsmDefinition.DEFINITION;

    /** How long an order may wait for its payment. */
    static final Duration PAYMENT_WINDOW = Duration.ofSeconds(2);
    /** Payment failures seen by {@link #onFailure}, across all orders of this JVM. */
    static final AtomicLong DECLINED = new AtomicLong();

    private Boolean awaitingPayment;

    public OrderFsm(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected Transition<Order> onTransition(String state, String event, Object arg, Order order)
            throws Exception {
        String next = state.equals(FsmDefinition.PSEUDO_STATE) ? States.CREATED : targetOf(state, event);
        awaitingPayment = next.equals(States.AWAITING_PAYMENT);
        return switch (event) {
            case Events.CHECKOUT -> Transition.to(next,
                    order.withPaymentDue(context().clock().millis() + PAYMENT_WINDOW.toMillis()));
            case Events.PAY -> {
                Thread.sleep(20 + Math.floorMod(order.id().hashCode(), 20)); // a remote payment gateway: blocks
                int attempt = arg instanceof Integer n ? n : 1;
                if (attempt == 1 && Math.floorMod(order.id().hashCode(), 10) == 3) {
                    awaitingPayment = true;
                    yield Transition.fail("card declined");
                }
                yield Transition.to(next, order);
            }
            case Events.DELIVER -> {
                int attempt = arg instanceof Integer n ? n : 1;
                yield attempt == 1 && Math.floorMod(order.id().hashCode(), 7) == 0
                        ? Transition.fail("nobody at home") : Transition.to(next, order);
            }
            default -> Transition.to(next, order);
        };
    }

    @Override
    protected void onFailure(String event, Object eventPayload, FsmState<Order> fsm) {
        if (event.equals(Events.PAY)) {
            DECLINED.incrementAndGet();
        }
    }

    /** Tick only while a payment is awaited (or while the state is not known yet, right after recovery). */
    @Override
    protected Optional<Duration> timer() {
        return Boolean.FALSE.equals(awaitingPayment) ? Optional.empty() : Optional.of(Duration.ofMillis(500));
    }

    @Override
    protected TimerResult<Order> onTimer(String state, FsmState<Order> fsm) {
        awaitingPayment = state.equals(States.AWAITING_PAYMENT);
        if (awaitingPayment && context().clock().millis() >= fsm.payload().paymentDueMillis()) {
            return TimerResult.transition(Events.CANCEL, "payment window expired", fsm.payload());
        }
        return TimerResult.ok();
    }
}
