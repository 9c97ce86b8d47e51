package dev.finitomata.samples;

/**
 * The payload of an order.
 *
 * @param id               the order's name
 * @param amountCents      what it costs
 * @param willPay          whether the customer will ever pay (those who do not are cancelled by the timer)
 * @param paymentDueMillis when an unpaid order is cancelled (epoch millis; set at checkout)
 * @param declinedPayments how many payments were declined
 */
public record Order(String id, int amountCents, boolean willPay, long paymentDueMillis, int declinedPayments) {

    Order withPaymentDue(long due) {
        return new Order(id, amountCents, willPay, due, declinedPayments);
    }
}
