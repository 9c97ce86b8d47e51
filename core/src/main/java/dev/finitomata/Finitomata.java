package dev.finitomata;

import dev.finitomata.internal.facade.FacadeSupport;
import dev.finitomata.internal.local.LocalFsms;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Runs named, persistent FSMs of one type on this node.
 *
 * <pre>{@code
 * Finitomata<Order> orders = Finitomata.create(system, "orders", OrderFsm.class, OrderFsm::new);
 * orders.start("order-1", new Order(...));
 * orders.transitionAndWait("order-1", "pay", amount).thenAccept(state -> ...);
 * }</pre>
 *
 * <p>Each FSM is a child actor of a system actor named {@code finitomata-<id>}, journaled under
 * {@code fsm|<id>|<type>|<name>} (see {@link FsmContext#persistenceId()}). Transitions go straight to the FSM's
 * actor; starts, stops and deletes go through the supervisor, and a call made while one of those (made through this
 * facade) is in flight is ordered behind it. A call on a name that does not run is answered at once, never after a
 * timeout: the lifecycle table is in docs/runtime.md. Thread-safe; every method returns at once, and the stages
 * complete on Pekko's threads.
 *
 * <p>An FSM with nothing scheduled and no call for {@code finitomata.passivate-idle-after} (120 s) is passivated:
 * its actor stops to save memory, but it still runs as far as the API is concerned (counted, listed, {@code alive}),
 * and the next call brings it back from its journal. One whose only scheduled work is delayed transitions or its timer's next
 * tick passivates too: the facade wakes it {@code finitomata.wake-ahead} (2 s) before the earliest is due.
 *
 * <p>After a restart, an FSM runs again once {@code start} loads it ({@code LOADED}), except one with pending delayed
 * transitions: the facade's durable wake index (in the journal, under {@code fsm-wakes|<id>}) brings it back by itself
 * shortly before its earliest delay is due, and it fires it once. A delay is in the index before its caller hears of
 * it.
 *
 * @param <P> the payload type of the FSMs
 */
public final class Finitomata<P> implements FsmSupervisor<P> {

    private final LocalFsms<P> engine;

    private Finitomata(LocalFsms<P> engine) {
        this.engine = engine;
        LocalFsms.register(this, engine);
    }

    /**
     * Creates the supervisor {@code id} for FSMs of {@code type}, built by {@code factory} (typically
     * {@code MyFsm::new}). Call once per id and ActorSystem, at startup. It builds one instance of {@code type} with a
     * detached {@link FsmContext} to read its definition, so that events are checked from the first call.
     *
     * @throws IllegalArgumentException if {@code id} is blank or contains {@code |}
     * @throws IllegalStateException    if a Finitomata with that id already runs in {@code system}, or no journal is
     *                                  configured (the message names the key to set)
     * @throws NullPointerException     if an argument is null
     */
    public static <P> Finitomata<P> create(ActorSystem<?> system, String id, Class<? extends FsmBehavior<P>> type,
                                           FsmFactory<P> factory) {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        return new Finitomata<>(new LocalFsms<>(system, FacadeSupport.checkId(id), type, factory));
    }

    @Override
    public String id() {
        return engine.id();
    }

    @Override
    public CompletionStage<StartResult> start(String name, P payload) {
        return engine.start(name, payload);
    }

    @Override
    public void transition(String name, String event, Object eventPayload) {
        engine.transition(name, event, eventPayload);
    }

    @Override
    public void transition(String name, String event, Object eventPayload, Duration delay) {
        engine.transition(name, event, eventPayload, delay);
    }

    @Override
    public CompletionStage<FsmState<P>> transitionAndWait(String name, String event, Object eventPayload) {
        return engine.transitionAndWait(name, event, eventPayload);
    }

    @Override
    public CompletionStage<Optional<FsmState<P>>> state(String name) {
        return engine.state(name);
    }

    @Override
    public CompletionStage<Done> timerTick(String name) {
        return engine.timerTick(name);
    }

    @Override
    public CompletionStage<Done> resetTimer(String name) {
        return engine.resetTimer(name);
    }

    @Override
    public CompletionStage<Optional<FsmDetails<P>>> details(String name) {
        return engine.details(name);
    }

    @Override
    public CompletionStage<Boolean> alive(String name) {
        return engine.alive(name);
    }

    @Override
    public CompletionStage<Map<String, FsmLocation>> all() {
        return engine.all();
    }

    @Override
    public CompletionStage<Integer> count() {
        return engine.count();
    }

    @Override
    public CompletionStage<Optional<String>> random() {
        return engine.random();
    }

    @Override
    public CompletionStage<Map<String, Long>> countByState() {
        return engine.countByState();
    }

    @Override
    public CompletionStage<List<FsmSummary>> find(FsmQuery query) {
        return engine.find(query);
    }

    @Override
    public CompletionStage<List<FsmHistoryEntry<P>>> history(String name) {
        return engine.history(name);
    }

    @Override
    public CompletionStage<Done> stop(String name) {
        return engine.stop(name);
    }

    @Override
    public CompletionStage<Done> delete(String name) {
        return engine.delete(name);
    }

    @Override
    public long droppedEvents() {
        return engine.droppedEvents();
    }

    @Override
    public void addListener(FsmListener<P> listener) {
        engine.addListener(listener);
    }

    @Override
    public boolean removeListener(FsmListener<P> listener) {
        return engine.removeListener(listener);
    }

    @Override
    public String toString() {
        return "Finitomata(" + id() + ", " + engine.typeName() + ")";
    }
}
