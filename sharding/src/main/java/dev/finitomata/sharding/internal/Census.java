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
 *
 * <p>Design: a node's names go in parts of at most {@link #PART_CHARS} characters ({@link Answer#more()}: another
 * part follows), gathered by a short-lived actor per node, because one message with them all exceeded Artery's
 * frame (256 KiB by default) beyond about 25,000 FSMs per node, and the node then counted as not answering. A random
 * FSM needs no names: each node answers its count and one of its names, and the census picks a node by its count.
 */
public final class Census {

    /** The characters of names in one part of a node's answer (at most 3 bytes each in UTF-8, under the frame). */
    static final int PART_CHARS = 32 * 1024;

    /** What a census asks a node: its count only, or its names too. */
    public record Query(boolean names) implements FsmSerializable {
    }

    /** What a census asks a node for a random FSM: its count and one of its names. */
    public record RandomQuery() implements FsmSerializable {
    }

    /** A node's answer, or a part of it: {@code more} (null: false) when another part follows. */
    public record Answer(String node, int count, List<String> names, Boolean more) implements FsmSerializable {

        boolean last() {
            return !Boolean.TRUE.equals(more);
        }
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
        return gather(new Query(names), Answer.class, names).thenApply(gathered -> {
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
        return gather(new StatesQuery(find == null ? null : Find.of(find)), StatesAnswer.class, false);
    }

    /**
     * A running FSM chosen at random over the cluster (each FSM as likely as any other, as far as the nodes' counts
     * are exact), and the nodes not heard from; empty when none runs on the nodes that answered.
     */
    public CompletionStage<Gathered<String>> random() {
        return gather(new RandomQuery(), Answer.class, false).thenApply(gathered -> {
            List<Answer> holding = gathered.answers().stream().filter(a -> !a.names().isEmpty()).toList();
            long total = holding.stream().mapToLong(Answer::count).sum();
            if (total == 0 && !holding.isEmpty()) { // (counted just before they started)
                return new Gathered<>(List.of(holding.get(0).names().get(0)), gathered.missing());
            }
            long pick = total == 0 ? 0 : java.util.concurrent.ThreadLocalRandom.current().nextLong(total);
            for (Answer answer : holding) {
                if (pick < answer.count()) {
                    return new Gathered<>(List.of(answer.names().get(0)), gathered.missing());
                }
                pick -= answer.count();
            }
            return new Gathered<>(List.of(), gathered.missing());
        });
    }

    /** {@code parts}: the answers may come in parts ({@link Answer#more()}), gathered by a {@link Parts} actor. */
    private <A> CompletionStage<Gathered<A>> gather(Object query, Class<A> answerType, boolean parts) {
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
            answers.add((parts ? Parts.ask(system, census, query, timeout)
                    : Patterns.ask(census, query, timeout).toCompletableFuture())
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

    /**
     * Asks one node's census for its names and gathers the parts of its answer into one (or fails with a timeout
     * within {@code timeout}, for all the parts).
     */
    static final class Parts extends AbstractActor {

        private static final java.util.concurrent.atomic.AtomicLong COUNT = new java.util.concurrent.atomic.AtomicLong();
        private static final Object LATE = new Object();

        private final CompletableFuture<Object> result;
        private final List<String> names = new ArrayList<>();
        private final org.apache.pekko.actor.Cancellable late;

        Parts(ActorSelection census, Object query, Duration timeout, CompletableFuture<Object> result) {
            this.result = result;
            census.tell(query, getSelf());
            late = getContext().getSystem().scheduler().scheduleOnce(timeout, getSelf(), LATE,
                    getContext().getDispatcher(), getSelf());
        }

        @Override
        public void postStop() {
            late.cancel();
            result.completeExceptionally(new java.util.concurrent.TimeoutException("the census stopped"));
        }

        static CompletableFuture<Object> ask(ActorSystem<?> system, ActorSelection census, Object query,
                                             Duration timeout) {
            CompletableFuture<Object> result = new CompletableFuture<>();
            ((ExtendedActorSystem) Adapter.toClassic(system)).systemActorOf(Props.create(Parts.class,
                    () -> new Parts(census, query, timeout, result)), "finitomata-census-parts-"
                    + COUNT.incrementAndGet());
            return result;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Answer.class, part -> {
                        names.addAll(part.names());
                        if (part.last()) {
                            result.complete(new Answer(part.node(), part.count(), names, null));
                            getContext().stop(getSelf());
                        }
                    })
                    .matchEquals(LATE, late -> {
                        result.completeExceptionally(new java.util.concurrent.TimeoutException(
                                "the census of a node did not answer in time"));
                        getContext().stop(getSelf());
                    })
                    .build();
        }
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
                    .match(Query.class, q -> {
                        if (q.names()) {
                            answerWithNames();
                        } else {
                            getSender().tell(new Answer(node, registry.size(), List.of(), null), getSelf());
                        }
                    })
                    .match(RandomQuery.class, q -> getSender().tell(new Answer(node, registry.size(),
                            registry.any().map(List::of).orElse(List.of()), null), getSelf()))
                    .match(StatesQuery.class, q -> getSender().tell(new StatesAnswer(node,
                            registry.index().countByState(), q.find() == null ? List.of()
                            : registry.index().find(q.find().query()).stream().map(Found::of).toList()), getSelf()))
                    .build();
        }

        /** In parts of at most {@link #PART_CHARS} characters; the last (maybe empty) says there is no more. */
        private void answerWithNames() {
            List<String> names = registry.names();
            int from = 0;
            int chars = 0;
            for (int i = 0; i < names.size(); i++) {
                chars += names.get(i).length();
                if (chars > PART_CHARS && i > from) {
                    getSender().tell(new Answer(node, names.size(), List.copyOf(names.subList(from, i)), true),
                            getSelf());
                    from = i;
                    chars = names.get(i).length();
                }
            }
            getSender().tell(new Answer(node, names.size(), List.copyOf(names.subList(from, names.size())), null),
                    getSelf());
        }
    }
}
