package dev.finitomata.persistence.ets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.finitomata.ApiSurface;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No public or protected member of this module's public API names a type from an {@code internal} package. */
class ApiSurfaceTest {

    @Test
    void thePublicApiNamesNoInternalType() {
        assertTrue(ApiSurface.publicClasses(Ets.class).contains(Ets.class));
        assertEquals(List.of(), ApiSurface.internalTypesInApi(Ets.class));
    }

    @Test
    void noScalaOrPekkoInternalsOutsideInternalPackages() {
        assertEquals(List.of(), ApiSurface.internalImportsOutsideInternal(java.nio.file.Path.of("src/main/java")));
    }

    @Test
    void noSourceFileOver450Lines() {
        assertEquals(List.of(), ApiSurface.filesLongerThan(java.nio.file.Path.of("src/main/java"), 450));
    }
}
