package dev.finitomata.samples;

import dev.finitomata.Fork;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * "Collect the signed documents, then continue" (docs/runtime.md, Sub-FSM flows): entering {@code collecting} forks one
 * {@link Document} per kind under the supervisor {@code documents}; each document's end is a {@code signed} event of
 * the onboarding, with the document's last payload; the last one completes it.
 */
public final class Onboarding extends FsmBehavior<Onboarding.Signed> {

    /** The documents signed so far. */
    public record Signed(List<String> documents) {
        public Signed {
            documents = List.copyOf(documents);
        }
    }

    static final List<String> KINDS = List.of("contract", "privacy-notice");
    static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            [*] --> applied
            applied --> collecting : submit
            collecting --> collecting : signed
            collecting --> onboarded : signed
            onboarded --> [*]
            """);

    public Onboarding(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected List<Fork> onFork(String state, Signed signed) {
        return state.equals("collecting")
                ? KINDS.stream().map(kind -> Fork.of("documents", name() + "-" + kind, kind, "signed")).toList()
                : List.of();
    }

    @Override
    protected Transition<Signed> onTransition(String state, String event, Object arg, Signed signed) {
        if (event.equals("signed")) { // arg: the document's last payload
            List<String> documents = new ArrayList<>(signed.documents());
            documents.add((String) arg);
            return Transition.to(documents.size() == KINDS.size() ? "onboarded" : "collecting", new Signed(documents));
        }
        return Transition.to(targetOf(state, event), signed);
    }

    /** A document to sign: requested until {@code sign}, then it ends by itself with {@code "signed <kind>"}. */
    public static final class Document extends FsmBehavior<String> {

        static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                [*] --> requested
                requested --> signed : sign
                signed --> [*]
                """);

        public Document(FsmContext context) {
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
        protected Transition<String> onTransition(String state, String event, Object arg, String kind) {
            return Transition.to(targetOf(state, event), event.equals("sign") ? "signed " + kind : kind);
        }
    }
}
