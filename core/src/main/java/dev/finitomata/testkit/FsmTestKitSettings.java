package dev.finitomata.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Settings of an {@link FsmTestKitExtension} registered with {@code @ExtendWith}, on the test class. (One built in
 * a {@code @RegisterExtension} field takes its settings from its builder methods instead.)
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface FsmTestKitSettings {

    /** The journal each test gets [{@link FsmStore#INMEM}]. */
    FsmStore store() default FsmStore.INMEM;

    /** Whether the tests run on virtual time (Pekko's ManualTime) [false]. */
    boolean virtualTime() default false;
}
