package dev.finitomata.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.finitomata.ApiSurface;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The module's fences: no public or protected member of its API names a type from an {@code internal} package (in a
 * signature or an annotation), no Scala or Pekko internals outside {@code internal}, no source file over 450 lines or outside its package's folder.
 */
class ApiSurfaceTest {

    @Test
    void theModuleKeepsItsFences() {
        assertTrue(ApiSurface.publicClasses(JdbcPersistence.class).contains(JdbcPersistence.class));
        assertEquals(List.of(), ApiSurface.fencesBroken(JdbcPersistence.class));
    }
}
