package dev.finitomata.samples;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.util.Map;

/**
 * Four versions of one FSM, a support ticket, as its code changes over time. Each class is named {@code Ticket}, so
 * they share persistence ids, as the versions of one class would. The payload is the ticket's priority.
 */
final class Tickets {

    private Tickets() {
    }

    /** Version 1. */
    static final class V1 {
        public static final class Ticket extends FsmBehavior<Integer> {
            static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                    open --> |assign| assigned
                    assigned --> |resolve| resolved
                    """);

            public Ticket(FsmContext context) {
                super(context);
            }

            @Override
            protected FsmDefinition definition() {
                return DEFINITION;
            }
        }
    }

    /** Version 2 renames a state: {@code assigned} is {@code in_progress} now. */
    static final class V2 {
        public static final class Ticket extends FsmBehavior<Integer> {
            static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                    open --> |assign| in_progress
                    in_progress --> |resolve| resolved
                    """);

            public Ticket(FsmContext context) {
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
                return Map.of("assigned", "in_progress");
            }
        }
    }

    /** Version 3 splits a state: an {@code open} ticket is {@code triaged} if it has a priority, else {@code fresh}. */
    static final class V3 {
        public static final class Ticket extends FsmBehavior<Integer> {
            static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                    fresh --> |triage| triaged
                    triaged --> |assign| in_progress
                    in_progress --> |resolve| resolved
                    """);

            public Ticket(FsmContext context) {
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

            @Override
            protected Map<String, String> renamedStates() {
                return Map.of("assigned", "in_progress");
            }

            @Override
            protected Transition<Integer> migrate(int fromVersion, String state, Integer priority) throws Exception {
                if (state.equals("open")) {
                    return Transition.to(priority > 0 ? "triaged" : "fresh", priority);
                }
                return super.migrate(fromVersion, state, priority);
            }
        }
    }

    /** Version 4 drops {@code in_progress} and forgets to migrate it. */
    static final class V4 {
        public static final class Ticket extends FsmBehavior<Integer> {
            static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                    fresh --> |triage| triaged
                    triaged --> |resolve| resolved
                    """);

            public Ticket(FsmContext context) {
                super(context);
            }

            @Override
            protected FsmDefinition definition() {
                return DEFINITION;
            }

            @Override
            protected int version() {
                return 4;
            }
        }
    }

    /** A rename to a state the definition lacks: the startup check refuses it. */
    static final class BadRename {
        public static final class Ticket extends FsmBehavior<Integer> {
            public Ticket(FsmContext context) {
                super(context);
            }

            @Override
            protected FsmDefinition definition() {
                return V2.Ticket.DEFINITION;
            }

            @Override
            protected int version() {
                return 2;
            }

            @Override
            protected Map<String, String> renamedStates() {
                return Map.of("assigned", "working");
            }
        }
    }

    /** Version 0: the startup check refuses it. */
    static final class BadVersion {
        public static final class Ticket extends FsmBehavior<Integer> {
            public Ticket(FsmContext context) {
                super(context);
            }

            @Override
            protected FsmDefinition definition() {
                return V1.Ticket.DEFINITION;
            }

            @Override
            protected int version() {
                return 0;
            }
        }
    }
}
