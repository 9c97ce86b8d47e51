package dev.finitomata.forks;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;

/**
 * A child of {@link ApplicantFsm}: one document, requested until {@code receive}, then finished by itself with the
 * payload {@code "received <kind>"}. A start payload of {@code "forbidden"} is refused by {@code onStart}.
 */
public final class DocumentFsm extends FsmBehavior<String> {

    static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            [*] --> requested
            requested --> received : receive
            received --> [*]
            """);

    public DocumentFsm(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected boolean autoTerminate() {
        return true;
    }

    @Override
    protected String onStart(String kind) {
        if (kind.equals("forbidden")) {
            throw new IllegalArgumentException("no such document");
        }
        return kind;
    }

    @Override
    protected Transition<String> onTransition(String state, String event, Object arg, String kind) {
        return Transition.to(targetOf(state, event), event.equals("receive") ? "received " + kind : kind);
    }
}
