package dev.finitomata;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the diagram of an {@link FsmBehavior} subclass {@code X} so that javac checks it: finitomata-core's
 * annotation processor parses and validates the diagram with the same code as {@link
 * dev.finitomata.definition.FsmDefinition#parse(String)}, reports every problem as a compile error on this annotation
 * (each message says {@code line N, column M: ...} of the diagram), reports ambiguous (state, event) pairs and states
 * that cannot finish as warnings, and generates a final class {@code XDefinition} in {@code X}'s package with
 * {@code DEFINITION} (the parsed definition) and one constant per state and per event:
 *
 * {@snippet :
 * @FsmDiagram("""
 *         idle --> |pay| paid
 *         paid --> |ship!| shipped
 *         """)
 * public final class Order extends FsmBehavior<Cart> {
 *     protected FsmDefinition definition() { return OrderDefinition.DEFINITION; }
 *     protected Transition<Cart> onTransition(String state, String event, Object arg, Cart cart)
 *             throws Exception {
 *         return switch (event) {
 *             case OrderDefinition.Events.PAY -> Transition.to(OrderDefinition.States.PAID, cart.paid());
 *             default -> super.onTransition(state, event, arg, cart);
 *         };
 *     }
 * }
 * }
 *
 * <p>Processed by javac only (the annotation is not kept in class files). Give exactly one of {@link #value()} (the
 * diagram inline) or {@link #resource()} (a file). Constants are named in UPPER_SNAKE case with {@code !} and
 * {@code ?} dropped ({@code go!} becomes {@code Events.GO = "go!"}, {@code payNow} becomes {@code PAY_NOW}); two names
 * that give the same constant, or a name that gives {@code ALL}, are a compile error. The processor is found through {@code META-INF/services}; on JDK 23 and later javac runs processors
 * found on the class path only with {@code -proc:full} (Maven: {@code <proc>full</proc>} in maven-compiler-plugin's
 * configuration). docs/definition-language.md has the details.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface FsmDiagram {

    /** The diagram itself, usually a text block; empty when {@link #resource()} names a file. */
    String value() default "";

    /**
     * A file holding the diagram, relative to the class's package (for {@code com.acme.Order} and {@code "order.mmd"}:
     * {@code com/acme/order.mmd} in {@code src/main/resources} or next to the source in {@code src/main/java}); an
     * absolute name starting with {@code /} is relative to the root. Empty when {@link #value()} holds the diagram.
     */
    String resource() default "";
}
