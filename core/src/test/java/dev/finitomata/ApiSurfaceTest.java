package dev.finitomata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void noScalaOrPekkoInternalsOutsideInternalPackages() {
        assertEquals(List.of(), ApiSurface.internalImportsOutsideInternal(Path.of("src/main/java")));
    }

    @Test
    void theApiPackageHoldsTheApiOnly() {
        for (Class<?> type : ApiSurface.publicClasses(FsmBehavior.class)) {
            assertTrue(type.getPackageName().equals("dev.finitomata") || type.getPackageName().startsWith(
                    "dev.finitomata.definition") || type.getPackageName().startsWith("dev.finitomata.testkit")
                    || type.getPackageName().equals("dev.finitomata.spi"), type
                    + " is public outside the API packages");
        }
        for (String engine : List.of("FsmActor", "FsmCore", "LocalSupervisor", "LocalHost")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.finitomata." + engine),
                    engine + " is engine, not API");
        }
    }

    @Test
    void whatUsersMayNotImplementSaysSo() throws Exception {
        for (Class<?> type : List.of(FsmSupervisor.class, FsmContext.class)) {
            String source = Files.readString(Path.of("src/main/java/dev/finitomata/" + type.getSimpleName()
                    + ".java"));
            assertTrue(source.contains("Not for users to "), type + "'s Javadoc says it is not for users to "
                    + "implement or extend");
        }
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

    @Test
    void noSourceFileOver450Lines() {
        assertEquals(List.of(), ApiSurface.filesLongerThan(java.nio.file.Path.of("src/main/java"), 450));
    }

    @Test
    void everySourceFileIsInItsPackagesFolder() {
        assertEquals(List.of(), ApiSurface.filesOutsideTheirPackage(java.nio.file.Path.of("src/main/java")));
    }
}
