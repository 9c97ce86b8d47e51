package dev.finitomata.forks;

import dev.finitomata.Fork;
import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * "Collect three documents, then continue": entering {@code collecting} forks one {@link DocumentFsm} per document,
 * under the supervisor {@code documents}, named {@code <applicant>-<kind>}; each one's end is a {@code document_done}
 * with the document's last payload, and the third completes the application. An applicant whose name starts with
 * {@code bad-} asks for a {@code forbidden} document too, whose start is refused.
 */
public final class ApplicantFsm extends FsmBehavior<ApplicantFsm.Docs> {

    /** The documents received so far. */
    public record Docs(List<String> received) {
        public Docs {
            received = List.copyOf(received);
        }
    }

    public static final List<String> KINDS = List.of("passport", "diploma", "reference");
    static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            [*] --> applied
            applied --> collecting : submit
            collecting --> collecting : document_done
            collecting --> complete : document_done
            collecting --> cancelled : cancel
            complete --> [*]
            cancelled --> [*]
            """);

    public ApplicantFsm(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected List<Fork> onFork(String state, Docs docs) {
        if (!state.equals("collecting")) {
            return List.of();
        }
        List<Fork> forks = new ArrayList<>();
        for (String kind : KINDS) {
            forks.add(Fork.of("documents", name() + "-" + kind, kind, "document_done"));
        }
        if (name().startsWith("bad-")) {
            forks.add(Fork.of("documents", name() + "-forbidden", "forbidden", "document_done"));
        }
        return forks;
    }

    @Override
    protected Transition<Docs> onTransition(String state, String event, Object result, Docs docs) {
        if (event.equals("document_done")) {
            List<String> received = new ArrayList<>(docs.received());
            received.add((String) result);
            return Transition.to(received.size() == KINDS.size() ? "complete" : "collecting", new Docs(received));
        }
        return Transition.to(targetOf(state, event), docs);
    }
}
