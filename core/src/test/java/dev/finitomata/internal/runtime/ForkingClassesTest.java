package dev.finitomata.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finitomata.Counter;
import dev.finitomata.Fork;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.RecordingFsm;
import dev.finitomata.forks.ApplicantFsm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An FSM whose class leaves {@code onFork} as it is forks nothing, and is not asked on each move; one whose class
 * overrides it, directly, through a bridge method (a typed payload) or in a superclass, is asked.
 */
class ForkingClassesTest {

    /** Overrides it with its payload type: javac adds a bridge {@code onFork(String, Object)}. */
    abstract static class Forking extends RecordingFsmLike {
        Forking(FsmContext context) {
            super(context);
        }

        @Override
        protected List<Fork> onFork(String state, Counter payload) {
            return List.of();
        }
    }

    /** Inherits the override. */
    abstract static class InheritsForking extends Forking {
        InheritsForking(FsmContext context) {
            super(context);
        }
    }

    /** A behavior of its own that does not fork. */
    abstract static class RecordingFsmLike extends FsmBehavior<Counter> {
        RecordingFsmLike(FsmContext context) {
            super(context);
        }
    }

    @Test
    void onlyClassesThatOverrideOnForkAreAsked() {
        assertFalse(Forks.forks(RecordingFsm.class), "RecordingFsm leaves onFork");
        assertFalse(Forks.forks(RecordingFsmLike.class));
        assertTrue(Forks.forks(ApplicantFsm.class), "ApplicantFsm overrides it");
        assertTrue(Forks.forks(Forking.class));
        assertTrue(Forks.forks(InheritsForking.class));
    }
}
