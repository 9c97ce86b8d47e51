package dev.finitomata.dashboard.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * INTERNAL API. The dashboards of the other nodes of a cluster, for what each node counts for itself: the
 * transitions taken per edge and the failures per stage of a type's FSMs it hosted. Every dashboard runs a small
 * actor registered with the receptionist (the cluster's, when the system is a cluster member); {@link #counted}
 * asks every registered one but this node's and adds their counts to this node's.
 *
 * <p>Design: one round trip per node, each bounded by {@code timeout}; a node that does not answer is left out and
 * said so ({@link Total#nodes} against {@link Total#asked}). A node that left the cluster took its counts with it.
 */
public final class Peers {

    /** What one dashboard counted of one type (empty when it has no such type). */
    public record Counted(String node, Map<String, Long> edges, Map<String, Long> failures)
            implements DashboardSerializable {

        public Counted {
            edges = new TreeMap<>(edges);
            failures = new TreeMap<>(failures);
        }
    }

    /** Ask a dashboard what it counted of type {@code id}. */
    public record Count(String id, ActorRef<Counted> replyTo) implements DashboardSerializable {
    }

    /** The counts of every dashboard that answered, added up; {@code nodes} of {@code asked} answered. */
    public record Total(Map<String, Long> edges, Map<String, Long> failures, int nodes, int asked) {
    }

    static final ServiceKey<Count> KEY = ServiceKey.create(Count.class, "finitomata-dashboard");

    private final ActorSystem<?> system;
    private final Catalog catalog;
    private final Duration timeout;

    /** Starts this node's actor and registers it; {@code timeout} bounds each node's answer. */
    public Peers(ActorSystem<?> system, Catalog catalog, Duration timeout) {
        this.system = system;
        this.catalog = catalog;
        this.timeout = timeout;
        String node = system.address().toString();
        ActorRef<Count> self = system.systemActorOf(Behaviors.receiveMessage((Count c) -> {
            c.replyTo().tell(counted(node, c.id()));
            return Behaviors.same();
        }), "finitomata-dashboard-peers", Props.empty());
        system.receptionist().tell(Receptionist.register(KEY, self));
    }

    private Counted counted(String node, String id) {
        Catalog.Type type = catalog.type(id);
        return type == null ? new Counted(node, Map.of(), Map.of())
                : new Counted(node, type.edges(), type.failures());
    }

    /** This node's counts of type {@code id} plus those of every other dashboard that answers in time. */
    public CompletionStage<Total> counted(String id) {
        CompletionStage<Receptionist.Listing> listing = AskPattern.ask(system.receptionist(),
                replyTo -> Receptionist.find(KEY, replyTo), timeout, system.scheduler());
        return listing.thenCompose(found -> {
            List<CompletableFuture<Counted>> answers = new ArrayList<>();
            for (ActorRef<Count> peer : found.getServiceInstances(KEY)) {
                if (!peer.path().address().hasLocalScope()) {
                    answers.add(AskPattern.<Count, Counted>ask(peer, replyTo -> new Count(id, replyTo), timeout,
                            system.scheduler()).toCompletableFuture().exceptionally(failure -> null));
                }
            }
            return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<Counted> all = new ArrayList<>();
                all.add(counted(system.address().toString(), id));
                answers.stream().map(CompletableFuture::join).filter(c -> c != null).forEach(all::add);
                Map<String, Long> edges = new TreeMap<>();
                Map<String, Long> failures = new TreeMap<>();
                for (Counted c : all) {
                    c.edges().forEach((edge, n) -> edges.merge(edge, n, Long::sum));
                    c.failures().forEach((stage, n) -> failures.merge(stage, n, Long::sum));
                }
                return new Total(edges, failures, all.size(), answers.size() + 1);
            });
        });
    }
}
