package dev.finitomata.sharding.internal;

import dev.finitomata.FsmLocation;
import dev.finitomata.FsmQuery;
import dev.finitomata.FsmSummary;
import dev.finitomata.internal.protocol.FsmSerializable;
import dev.finitomata.sharding.FsmCensus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.InvalidActorNameException;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.pattern.Patterns;

/**
 * INTERNAL API. Counting the running FSMs of one {@code Infinitomata} over the cluster: every node runs a census
 * actor ({@code /system/finitomata-census-<id>}) answering from its {@link NodeRegistry}; a census asks the census
 * actor of every member that may hold shards and is reachable, each within a timeout, and reports the members it
 * could not hear from instead of failing.
 */
public final class Census {

    /** What a census asks a node: its count only, or its names too. */
    public record Query(boolean names) implements FsmSerializable {
    }

    /** A node's answer. */
    public record Answer(String node, int count, List<String> names) implements FsmSerializable {
    }

    /**
     * What a census by state asks a node: its counts by state, and, with {@code find}, the FSMs that query selects
     * (times in epoch milliseconds; {@code before} is {@code Long.MAX_VALUE} when unbounded).
     */
    public record StatesQuery(Find find) implements FsmSerializable {
    }

    /** A query of {@code find}, as it travels. */
    public record Find(String state, long before, int limit, String afterName, long afterSince) {

        /** {@code query} for the wire. */
        public static Find of(FsmQuery query) {
            return new Find(query.state(), query.enteredBeforeInstant().map(Instant::toEpochMilli)
                    .orElse(Long.MAX_VALUE), query.limit(), query.afterSummary().map(FsmSummary::name).orElse(null),
                    query.afterSummary().map(s -> s.since().toEpochMilli()).orElse(0L));
        }

        /** Back into a query. */
        FsmQuery query() {
            FsmQuery query = FsmQuery.inState(state).limit(limit);
            if (before != Long.MAX_VALUE) {
                query = query.enteredBefore(Instant.ofEpochMilli(before));
            }
            return afterName == null ? query
                    : query.after(new FsmSummary(afterName, state, Instant.ofEpochMilli(afterSince)));
        }
    }

    /** A node's answer by state ({@code found}: what its {@link Find} selected, times in epoch milliseconds). */
    public record StatesAnswer(String node, Map<String, Long> counts, List<Found> found) implements FsmSerializable {

        /** The summaries found. */
        public List<FsmSummary> summaries() {
            return found.stream().map(Found::summary).toList();
        }
    }

    /** One FSM found, as it travels. */
    public record Found(String name, String state, long since) {
        static Found of(FsmSummary summary) {
            return new Found(summary.name(), summary.state(), summary.since().toEpochMilli());
        }

        FsmSummary summary() {
            return new FsmSummary(name, state, Instant.ofEpochMilli(since));
        }
    }

    /** Answers of the nodes heard from, and the addresses of those not heard from. */
    public record Gathered<A>(List<A> answers, Set<String> missing) {
    }

    private final ActorSystem<?> system;
    private final String path;
    private final Duration timeout;
    private final String role;

    private Census(ActorSystem<?> system, String path, Duration timeout, String role) {
        this.system = system;
        this.path = path;
        this.timeout = timeout;
        this.role = role;
    }

    /**
     * Starts this node's census actor for supervisor {@code id}.
     *
     * @throws IllegalStateException if one already runs for that id (an Infinitomata with that id exists)
     */
    public static Census start(ActorSystem<?> system, String id, NodeRegistry registry, Duration timeout,
                               String role) {
        String name = "finitomata-census-" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        String node = system.address().toString();
        try {
            ((ExtendedActorSystem) Adapter.toClassic(system)).systemActorOf(
                    Props.create(Responder.class, () -> new Responder(registry, node)), name);
        } catch (InvalidActorNameException e) {
            throw new IllegalStateException("an Infinitomata with id '" + id + "' already runs in ActorSystem '"
                    + system.name() + "': ids must be unique per ActorSystem", e);
        }
        return new Census(system, "/system/" + name, timeout, role);
    }

    /** Asks every reachable member that may hold shards (with the role); never fails, reports who did not answer. */
    public CompletionStage<FsmCensus> take(boolean names) {
        return gather(new Query(names), Answer.class).thenApply(gathered -> {
            Map<String, FsmLocation> fsms = new HashMap<>();
            int count = 0;
            for (Answer answer : gathered.answers()) {
                count += answer.count();
                answer.names().forEach(n -> fsms.put(n, new FsmLocation(n, answer.node())));
            }
            return new FsmCensus(names ? Map.copyOf(fsms) : Map.of(), names ? fsms.size() : count,
                    gathered.missing());
        });
    }

    /** Asks every node that may hold shards for its counts by state, and what {@code find} selects (if not null). */
    public CompletionStage<Gathered<StatesAnswer>> byState(FsmQuery find) {
        return gather(new StatesQuery(find == null ? null : Find.of(find)), StatesAnswer.class);
    }

    private <A> CompletionStage<Gathered<A>> gather(Object query, Class<A> answerType) {
        Cluster cluster = Cluster.get(Adapter.toClassic(system));
        Set<Member> unreachable = cluster.state().getUnreachable();
        Set<String> missing = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Optional<A>>> answers = new ArrayList<>();
        for (Member member : cluster.state().getMembers()) {
            if (!holdsShards(member) || (!role.isEmpty() && !member.hasRole(role))) {
                continue;
            }
            if (unreachable.contains(member)) {
                missing.add(member.address().toString());
                continue;
            }
            Address address = member.address();
            ActorSelection census = Adapter.toClassic(system).actorSelection(address + path);
            answers.add(Patterns.ask(census, query, timeout).toCompletableFuture()
                    .handle((answer, failure) -> {
                        if (answerType.isInstance(answer)) {
                            return Optional.of(answerType.cast(answer));
                        }
                        missing.add(address.toString());
                        return Optional.<A>empty();
                    }));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> new Gathered<>(
                answers.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList(),
                Set.copyOf(new TreeSet<>(missing))));
    }

    private static boolean holdsShards(Member member) {
        MemberStatus status = member.status();
        return status == MemberStatus.up() || status == MemberStatus.weaklyUp() || status == MemberStatus.leaving()
                || status == MemberStatus.exiting();
    }

    /** This node's census actor: answers from the registry. */
    static final class Responder extends AbstractActor {

        private final NodeRegistry registry;
        private final String node;

        Responder(NodeRegistry registry, String node) {
            this.registry = registry;
            this.node = node;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Query.class, q -> getSender().tell(q.names()
                            ? answerWithNames() : new Answer(node, registry.size(), List.of()), getSelf()))
                    .match(StatesQuery.class, q -> getSender().tell(new StatesAnswer(node,
                            registry.index().countByState(), q.find() == null ? List.of()
                            : registry.index().find(q.find().query()).stream().map(Found::of).toList()), getSelf()))
                    .build();
        }

        private Answer answerWithNames() {
            List<String> names = registry.names();
            return new Answer(node, names.size(), names);
        }
    }
}
