package dev.finitomata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The API boundary, kept true by a test: no public or protected member of the public API names a type from an
 * {@code internal} package, and a user's FSM class inherits nothing but the template methods of {@link FsmBehavior}.
 */
class ApiSurfaceTest {

    @Test
    void thePublicApiNamesNoInternalType() {
        assertTrue(ApiSurface.publicClasses(FsmBehavior.class).contains(Finitomata.class));
        assertEquals(List.of(), ApiSurface.internalTypesInApi(FsmBehavior.class));
    }

    @Test
    void anFsmClassIsAPlainClassOwnedByTheRuntime() {
        assertEquals(Object.class, FsmBehavior.class.getSuperclass(), "composition: an FSM is not a Pekko behavior");
        assertEquals(0, Arrays.stream(FsmContext.class.getDeclaredConstructors())
                .filter(c -> Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers())).count(),
                "FsmContext is built by the runtime only");
        List<String> inherited = Arrays.stream(FsmBehavior.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers())).map(Method::getName).toList();
        assertEquals(List.of(), inherited, "an FSM class inherits no public method");
    }
}
