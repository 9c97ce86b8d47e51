package dev.finitomata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.finitomata.ApiSurface;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The module's fences (see {@link ApiSurface#fencesBroken}). */
class ApiSurfaceTest {

    @Test
    void theModuleKeepsItsFences() {
        assertEquals(List.of(), ApiSurface.fencesBroken(FsmDashboard.class));
    }
}
