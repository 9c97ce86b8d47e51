package dev.finitomata.dashboard.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finitomata.FsmDetails;
import dev.finitomata.FsmError;
import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.FsmQuery;
import dev.finitomata.FsmState;
import dev.finitomata.FsmSummary;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.definition.FsmTransition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The dashboard's JSON API, answered from the public API of each supervisor ({@code countByState},
 * {@code find}, {@code state}, {@code history}) and the catalog's per-edge counts. A bad request (an unknown type,
 * state or FSM, a malformed parameter) is an {@link Answer} with a 4xx status and a message naming what was wrong.
 */
public final class Api {

    /** What to answer: an HTTP status and a JSON body. */
    public record Answer(int status, String json) {
    }

    /** The most FSMs one page lists. */
    public static final int MAX_PAGE = FsmQuery.DEFAULT_LIMIT;

    private static final Logger LOG = LoggerFactory.getLogger("dev.finitomata.dashboard.FsmDashboard");

    private final Catalog catalog;
    private final Peers peers;
    private final ObjectMapper json;
    /** Why manual actions are refused (the 403's message), or null when they are allowed. */
    private final String refusal;

    /**
     * @param refusal why manual actions (send an event, stop, delete) are refused, naming the setting that allows
     *                them; null to allow them
     */
    public Api(Catalog catalog, Peers peers, ObjectMapper json, String refusal) {
        this.catalog = catalog;
        this.peers = peers;
        this.json = json;
        this.refusal = refusal;
    }

    /** Whether manual actions are on, for the page. */
    public CompletionStage<Answer> settings() {
        return done(ok(json.createObjectNode().put("actions", refusal == null)));
    }

    // ---- manual actions (finitomata.dashboard.actions = on) ----

    /**
     * Sends {@code event} to the FSM {@code name} and waits for its transition ({@code transitionAndWait}), with the
     * JSON {@code body} (if not blank) as the event payload, read as plain JSON values (maps, lists, strings, numbers).
     */
    public CompletionStage<Answer> send(String id, String name, String event, String body, String who) {
        Catalog.Type type = catalog.type(id);
        Answer refused = refused(type, id);
        if (refused != null) {
            return done(refused);
        }
        if (!type.definition().events().contains(event)) {
            return done(error(404, "FSM type '" + id + "' has no event '" + event + "'; its events are "
                    + type.definition().events().stream().sorted().toList()));
        }
        Object payload;
        try {
            payload = body == null || body.isBlank() ? null : json.readValue(body, Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return done(error(400, "the event payload is not JSON: " + e.getOriginalMessage()));
        }
        LOG.info("dashboard action by {}: event '{}' to FSM '{}' of type '{}'", who, event, name, id);
        return type.supervisor().transitionAndWait(name, event, payload)
                .<Answer>thenApply(state -> ok(json.createObjectNode().put("state", state.current())))
                .exceptionally(failure -> refusedBy(cause(failure)));
    }

    /** Stops the FSM {@code name}. */
    public CompletionStage<Answer> stop(String id, String name, String who) {
        return lifecycle(id, name, who, "stop", "stopped", fsms -> fsms.stop(name));
    }

    /** Deletes the FSM {@code name} (stops it, erases its journal). */
    public CompletionStage<Answer> delete(String id, String name, String who) {
        return lifecycle(id, name, who, "delete", "deleted", fsms -> fsms.delete(name));
    }

    private CompletionStage<Answer> lifecycle(String id, String name, String who, String verb, String done,
                                              java.util.function.Function<FsmSupervisor<?>, CompletionStage<?>> call) {
        Catalog.Type type = catalog.type(id);
        Answer refused = refused(type, id);
        if (refused != null) {
            return done(refused);
        }
        LOG.info("dashboard action by {}: {} FSM '{}' of type '{}'", who, verb, name, id);
        return call.apply(type.supervisor()).<Answer>thenApply(d -> ok(json.createObjectNode().put(done, name)))
                .exceptionally(failure -> refusedBy(cause(failure)));
    }

    private Answer refused(Catalog.Type type, String id) {
        if (refusal != null) {
            return error(403, refusal);
        }
        return type == null ? unknownType(id) : null;
    }

    private Answer refusedBy(Throwable failure) {
        return switch (failure) {
            case dev.finitomata.FsmNotFoundException e -> error(404, e.getMessage());
            case dev.finitomata.FsmTransitionException e -> error(409, e.getMessage());
            case IllegalArgumentException e -> error(400, e.getMessage());
            default -> error(503, String.valueOf(failure));
        };
    }

    /**
     * Every FSM type: its definition, its running FSMs per state, the transitions taken per edge and its failures per
     * stage (an {@code Infinitomata}'s: added up over the dashboards of its cluster that answer).
     */
    public CompletionStage<Answer> types() {
        List<CompletableFuture<ObjectNode>> all = new ArrayList<>();
        for (Catalog.Type type : catalog.types().values()) {
            all.add(type.supervisor().countByState().thenCombine(counted(type),
                    (counts, counted) -> describe(type, counts, counted)).toCompletableFuture());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
            ArrayNode types = json.createArrayNode();
            all.forEach(t -> types.add(t.join()));
            return ok(json.createObjectNode().put("now", Instant.now().toEpochMilli()).set("types", types));
        });
    }

    /** What was counted of {@code type}: on this node, or on every node of its cluster with a dashboard. */
    private CompletionStage<Peers.Total> counted(Catalog.Type type) {
        if (sharded(type)) {
            return peers.counted(type.id());
        }
        return CompletableFuture.completedFuture(new Peers.Total(type.edges(), type.failures(), 1, 1));
    }

    private static boolean sharded(Catalog.Type type) {
        try {
            return ClusterView.nodes(type.supervisor()).isPresent();
        } catch (LinkageError noSharding) { // finitomata-sharding is not on the class path: no Infinitomata either
            return false;
        }
    }

    private ObjectNode describe(Catalog.Type type, Map<String, Long> counts, Peers.Total counted) {
        FsmDefinition definition = type.definition();
        ObjectNode node = json.createObjectNode().put("id", type.id()).put("entry", definition.entryState());
        ArrayNode states = node.putArray("states");
        definition.states().stream().sorted().forEach(states::add);
        ArrayNode finals = node.putArray("finals");
        definition.finalStates().stream().sorted().forEach(finals::add);
        ArrayNode edges = node.putArray("transitions");
        for (FsmTransition t : definition.transitions()) {
            ObjectNode edge = edges.addObject().put("from", t.from()).put("event", t.event()).put("to", t.to())
                    .put("taken", counted.edges().getOrDefault(Catalog.edge(t.from(), t.event(), t.to()), 0L));
            definition.guard(t).ifPresent(guard -> edge.put("guard", guard));
        }
        ObjectNode descriptions = node.putObject("descriptions");
        definition.states().stream().sorted().forEach(state ->
                definition.description(state).ifPresent(text -> descriptions.put(state, text)));
        ObjectNode running = node.putObject("counts");
        counts.forEach(running::put);
        ObjectNode failures = node.putObject("failures");
        counted.failures().forEach(failures::put);
        node.putObject("countedOn").put("nodes", counted.nodes()).put("asked", counted.asked());
        return node;
    }

    /**
     * The FSMs of type {@code id} in {@code state}, oldest first, at most {@code limit}, after the one named
     * {@code afterName} that entered at {@code afterSince} (the last of the previous page), if given.
     */
    public CompletionStage<Answer> find(String id, String state, Optional<String> limit, Optional<String> afterSince,
                                        Optional<String> afterName) {
        Catalog.Type type = catalog.type(id);
        if (type == null) {
            return done(unknownType(id));
        }
        if (!type.definition().states().contains(state)) {
            return done(error(404, "FSM type '" + id + "' has no state '" + state + "'; its states are "
                    + type.definition().states().stream().sorted().toList()));
        }
        FsmQuery query = FsmQuery.inState(state);
        try {
            query = query.limit(limit.map(Integer::parseInt).orElse(50));
        } catch (IllegalArgumentException e) {
            return done(error(400, "limit must be a whole number from 1 to " + MAX_PAGE + ", was '"
                    + limit.orElse("") + "'"));
        }
        if (query.limit() > MAX_PAGE) {
            return done(error(400, "limit must be a whole number from 1 to " + MAX_PAGE + ", was '"
                    + limit.orElse("") + "'"));
        }
        if (afterSince.isPresent() != afterName.isPresent()) {
            return done(error(400, "afterSince and afterName go together (the last FSM of the previous page)"));
        }
        if (afterSince.isPresent()) {
            try {
                query = query.after(new FsmSummary(afterName.get(), state,
                        Instant.ofEpochMilli(Long.parseLong(afterSince.get()))));
            } catch (NumberFormatException e) {
                return done(error(400, "afterSince must be epoch milliseconds, was '" + afterSince.get() + "'"));
            }
        }
        return type.supervisor().find(query).thenApply(found -> {
            long now = Instant.now().toEpochMilli();
            ArrayNode fsms = json.createArrayNode();
            for (FsmSummary s : found) {
                fsms.addObject().put("name", s.name()).put("state", s.state()).put("since", s.since().toEpochMilli())
                        .put("inStateMillis", Math.max(0, now - s.since().toEpochMilli()));
            }
            return ok(json.createObjectNode().put("type", id).put("state", state).put("now", now).set("fsms", fsms));
        });
    }

    /** The cluster of type {@code id}: its nodes with their FSM and shard counts; 404 for a local supervisor. */
    public CompletionStage<Answer> nodes(String id) {
        Catalog.Type type = catalog.type(id);
        if (type == null) {
            return done(unknownType(id));
        }
        Optional<CompletionStage<List<dev.finitomata.sharding.FsmNode>>> cluster;
        try {
            cluster = ClusterView.nodes(type.supervisor());
        } catch (LinkageError noSharding) { // finitomata-sharding is not on the class path: no Infinitomata either
            cluster = Optional.empty();
        }
        return cluster.map(nodes -> nodes.thenApply(list -> {
            ArrayNode array = json.createArrayNode();
            list.forEach(n -> array.addObject().put("address", n.address()).put("status", n.status())
                    .put("reachable", n.reachable()).put("fsms", n.fsms()).put("shards", n.shards()));
            return ok(json.createObjectNode().put("type", id).set("nodes", array));
        })).orElseGet(() -> done(error(404, "FSM type '" + id + "' runs on this node only (Finitomata): it has no "
                + "cluster")));
    }

    /**
     * One FSM: if it runs, its state, payload, last error, the node hosting it, its pending delayed transitions and
     * its timer ({@code details}); its history from the journal in any case.
     */
    public CompletionStage<Answer> fsm(String id, String name) {
        Catalog.Type type = catalog.type(id);
        if (type == null) {
            return done(unknownType(id));
        }
        FsmSupervisor<?> fsms = type.supervisor();
        CompletableFuture<Optional<? extends FsmDetails<?>>> details = fsms.details(name)
                .<Optional<? extends FsmDetails<?>>>thenApply(s -> s).toCompletableFuture();
        CompletableFuture<Object> history = fsms.history(name).<Object>thenApply(h -> h)
                .exceptionally(failure -> cause(failure).getMessage()).toCompletableFuture();
        return details.thenCombine(history, (running, story) -> {
            if (running.isEmpty() && story instanceof List<?> entries && entries.isEmpty()) {
                return error(404, "no FSM '" + name + "' of type '" + id + "': it never ran, or it was deleted");
            }
            ObjectNode node = json.createObjectNode().put("type", id).put("name", name)
                    .put("running", running.isPresent());
            running.ifPresent(d -> describe(type, d, node));
            if (story instanceof List<?> entries) {
                ArrayNode steps = node.putArray("history");
                for (Object o : entries) {
                    FsmHistoryEntry<?> e = (FsmHistoryEntry<?>) o;
                    steps.addObject().put("sequenceNr", e.sequenceNr()).put("at", e.at().toEpochMilli())
                            .put("from", e.from()).put("event", e.event()).put("to", e.to())
                            .set("payload", json.valueToTree(e.payload()));
                }
            } else {
                node.put("historyError", String.valueOf(story));
            }
            return ok(node);
        });
    }

    private void describe(Catalog.Type type, FsmDetails<?> details, ObjectNode node) {
        FsmState<?> s = details.state();
        node.put("state", s.current()).put("node", details.node());
        ArrayNode accepts = node.putArray("accepts");
        type.definition().eventsFrom(s.current()).stream().sorted().forEach(accepts::add);
        node.set("payload", json.valueToTree(s.payload()));
        s.lastError().ifPresent(e -> node.set("lastError", error(e)));
        ArrayNode delays = node.putArray("delays");
        details.delays().forEach(d -> delays.addObject().put("event", d.event())
                .put("dueAt", d.dueAt().toEpochMilli()).set("payload", json.valueToTree(d.eventPayload())));
        details.timer().ifPresent(t -> node.putObject("timer").put("intervalMillis", t.interval().toMillis())
                .put("nextTick", t.nextTick().toEpochMilli()));
    }

    private ObjectNode error(FsmError e) {
        return json.createObjectNode().put("stage", e.stage().name()).put("state", e.state())
                .put("event", e.event()).put("reason", e.reason());
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private Answer unknownType(String id) {
        return error(404, "no FSM type '" + id + "'; the types are " + catalog.types().keySet());
    }

    private Answer ok(ObjectNode body) {
        return new Answer(200, body.toString());
    }

    /** A 4xx (or 5xx) answer: {@code {"error": message}}. */
    public Answer error(int status, String message) {
        return new Answer(status, json.createObjectNode().put("error", message).toString());
    }

    private static CompletionStage<Answer> done(Answer answer) {
        return CompletableFuture.completedFuture(answer);
    }
}
