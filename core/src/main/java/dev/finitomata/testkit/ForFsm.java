package dev.finitomata.testkit;

import dev.finitomata.FsmBehavior;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test method's {@link FsmTestKit} parameter: the FSM type the kit runs, which needs a public constructor
 * taking an {@code FsmContext}. {@link FsmTestKitExtension} resolves the parameter.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ForFsm {

    /** The FSM type. */
    @SuppressWarnings("rawtypes")
    Class<? extends FsmBehavior> value();
}
