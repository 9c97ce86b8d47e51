package dev.finitomata.sharding;

import dev.finitomata.Counter;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.definition.FsmDefinition;
import java.util.Map;

/** Three versions of one FSM type, all named {@code Job} so that they share persistence ids. */
final class VersionedJobs {

    private VersionedJobs() {
    }

    /** Version 1. */
    static final class V1 {
        public static final class Job extends FsmBehavior<Counter> {
            static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                    queued --> |run| running
                    running --> |finish| done
                    """);

            public Job(FsmContext context) {
                super(context);
            }

            @Override
            protected FsmDefinition definition() {
                return DEFINITION;
            }
        }
    }

    /** Version 2 renames {@code running} to {@code active}. */
    static final class V2 {
        public static final class Job extends FsmBehavior<Counter> {
            static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                    queued --> |run| active
                    active --> |finish| done
                    """);

            public Job(FsmContext context) {
                super(context);
            }

            @Override
            protected FsmDefinition definition() {
                return DEFINITION;
            }

            @Override
            protected int version() {
                return 2;
            }

            @Override
            protected Map<String, String> renamedStates() {
                return Map.of("running", "active");
            }
        }
    }

    /** Version 3 drops {@code active} without migrating it. */
    static final class V3 {
        public static final class Job extends FsmBehavior<Counter> {
            static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                    queued --> |finish| done
                    """);

            public Job(FsmContext context) {
                super(context);
            }

            @Override
            protected FsmDefinition definition() {
                return DEFINITION;
            }

            @Override
            protected int version() {
                return 3;
            }
        }
    }
}
