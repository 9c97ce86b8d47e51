package dev.finitomata;

import dev.finitomata.internal.FacadeSupport;
import dev.finitomata.internal.FsmEnvironment;
import dev.finitomata.internal.FsmProtocol;
import dev.finitomata.internal.FsmSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.InvalidActorNameException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs named, persistent FSMs of one type on this node.
 *
 * <pre>{@code
 * Finitomata<Order> orders = Finitomata.create(system, "orders", OrderFsm.class, OrderFsm::new);
 * orders.start("order-1", new Order(...));
 * orders.transitionAndWait("order-1", "pay", amount).thenAccept(state -> ...);
 * }</pre>
 *
 * <p>Each FSM is a child actor of a supervisor actor named {@code finitomata-<id>}, journaled under
 * {@code fsm|<id>|<type's simple name>|<name>}. Transitions go straight to the FSM's actor; start, stop and delete
 * are ordered per name by the supervisor. Thread-safe; every method returns at once.
 *
 * @param <P> the payload type of the FSMs
 */
public final class Finitomata<P> implements FsmSupervisor<P> {

    private static final Logger LOG = LoggerFactory.getLogger(Finitomata.class);

    private final ActorSystem<?> system;
    private final FsmEnvironment environment;
    private final FacadeSupport support;
    private final Map<String, ActorRef<FsmProtocol.Command>> running = new ConcurrentHashMap<>();
    private final ActorRef<LocalSupervisor.Msg> supervisor;
    private final AtomicLong dropped = new AtomicLong();
    /** Names whose start this facade sent and has not seen complete: their commands go through the supervisor. */
    private final Map<String, Boolean> starting = new ConcurrentHashMap<>();
    private final Duration timeout;

    private Finitomata(ActorSystem<?> system, String id, Class<?> type, FsmFactory<P> factory) {
        this.system = system;
        FsmSettings settings = FsmSettings.from(system.settings().config());
        this.timeout = settings.askTimeout();
        AtomicReference<ActorRef<LocalSupervisor.Msg>> self = new AtomicReference<>();
        this.environment = new FsmEnvironment(id, type, settings,
                (name, ctx) -> self.get().tell(new LocalSupervisor.StopChild(name, ctx.getSelf())), false);
        this.support = new FacadeSupport(environment);
        try {
            this.supervisor = system.systemActorOf(LocalSupervisor.create(environment, factory, running),
                    "finitomata-" + URLEncoder.encode(id, StandardCharsets.UTF_8), Props.empty());
        } catch (InvalidActorNameException e) {
            throw new IllegalStateException("a Finitomata with id '" + id + "' already runs in ActorSystem '"
                    + system.name() + "': ids must be unique per ActorSystem", e);
        }
        self.set(supervisor);
    }

    /**
     * Creates the supervisor {@code id} for FSMs of {@code type}, built by {@code factory} (typically
     * {@code MyFsm::new}). Call once per id and ActorSystem, at startup.
     *
     * @throws IllegalArgumentException if {@code id} is blank or contains {@code |}
     * @throws IllegalStateException    if a Finitomata with that id already runs in {@code system}
     * @throws NullPointerException     if an argument is null
     */
    public static <P> Finitomata<P> create(ActorSystem<?> system, String id, Class<? extends FsmBehavior<P>> type,
                                           FsmFactory<P> factory) {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        return new Finitomata<>(system, FacadeSupport.checkId(id), type, factory);
    }

    @Override
    public String id() {
        return environment.supervisorId();
    }

    @Override
    public CompletionStage<StartResult> start(String name, P payload) {
        support.checkName(name);
        support.verifyPayload(system, payload);
        starting.put(name, Boolean.TRUE);
        return AskPattern.<LocalSupervisor.Msg, FsmProtocol.StartReply>ask(supervisor,
                        replyTo -> new LocalSupervisor.StartFsm(name, payload, replyTo), timeout, system.scheduler())
                .whenComplete((reply, failure) -> starting.remove(name))
                .thenApply(reply -> support.startResult(name, reply));
    }

    @Override
    public void transition(String name, String event, Object eventPayload) {
        support.checkName(name);
        support.checkEvent(event);
        send(name, event, new FsmProtocol.Fire(event, eventPayload, null));
    }

    @Override
    public void transition(String name, String event, Object eventPayload, Duration delay) {
        support.checkName(name);
        support.checkEvent(event);
        FacadeSupport.checkDelay(delay);
        send(name, event, new FsmProtocol.Schedule(event, eventPayload, delay.toMillis()));
    }

    private void send(String name, String event, FsmProtocol.Command command) {
        ActorRef<FsmProtocol.Command> fsm = running.get(name);
        if (starting.containsKey(name)) {
            supervisor.tell(new LocalSupervisor.Forward(name, command));
        } else if (fsm == null) {
            drop(name, event);
        } else {
            fsm.tell(command);
        }
    }

    /** Asks the FSM directly, or through the supervisor while its start is in flight. */
    private <R> CompletionStage<R> ask(String name, java.util.function.Function<ActorRef<R>, FsmProtocol.Command> ask,
                                       ActorRef<FsmProtocol.Command> fsm) {
        if (starting.containsKey(name) || fsm == null) {
            return AskPattern.<LocalSupervisor.Msg, R>ask(supervisor,
                    replyTo -> new LocalSupervisor.Forward(name, ask.apply(replyTo)), timeout, system.scheduler());
        }
        return AskPattern.ask(fsm, ask::apply, timeout, system.scheduler());
    }

    private void drop(String name, String event) {
        dropped.incrementAndGet();
        LOG.warn("Finitomata '{}': no FSM named '{}' is running; event '{}' dropped (start it first)", id(), name,
                event);
    }

    /** How many fire-and-forget events were dropped because their FSM was not running. */
    public long droppedEvents() {
        return dropped.get();
    }

    @Override
    public CompletionStage<FsmState<P>> transitionAndWait(String name, String event, Object eventPayload) {
        support.checkName(name);
        support.checkEvent(event);
        ActorRef<FsmProtocol.Command> fsm = running.get(name);
        if (fsm == null && !starting.containsKey(name)) {
            return CompletableFuture.failedFuture(support.notFound(name));
        }
        return this.<FsmProtocol.Reply>ask(name, replyTo -> new FsmProtocol.Fire(event, eventPayload, replyTo), fsm)
                .thenApply(reply -> support.<P>state(name, reply));
    }

    @Override
    public CompletionStage<Optional<FsmState<P>>> state(String name) {
        support.checkName(name);
        ActorRef<FsmProtocol.Command> fsm = running.get(name);
        if (fsm == null && !starting.containsKey(name)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return this.<FsmProtocol.StateReply>ask(name, FsmProtocol.GetState::new, fsm).thenApply(support::<P>state);
    }

    @Override
    public CompletionStage<Boolean> alive(String name) {
        support.checkName(name);
        return CompletableFuture.completedFuture(running.containsKey(name));
    }

    @Override
    public CompletionStage<Map<String, FsmLocation>> all() {
        String node = system.address().toString();
        return CompletableFuture.completedFuture(running.keySet().stream()
                .collect(Collectors.toUnmodifiableMap(n -> n, n -> new FsmLocation(n, node))));
    }

    @Override
    public CompletionStage<Integer> count() {
        return CompletableFuture.completedFuture(running.size());
    }

    @Override
    public CompletionStage<Optional<String>> random() {
        List<String> names = new ArrayList<>(running.keySet());
        return CompletableFuture.completedFuture(names.isEmpty() ? Optional.empty()
                : Optional.of(names.get(ThreadLocalRandom.current().nextInt(names.size()))));
    }

    @Override
    public CompletionStage<Done> stop(String name) {
        return stopOrDelete(name, false);
    }

    @Override
    public CompletionStage<Done> delete(String name) {
        return stopOrDelete(name, true);
    }

    private CompletionStage<Done> stopOrDelete(String name, boolean delete) {
        support.checkName(name);
        return AskPattern.<LocalSupervisor.Msg, LocalSupervisor.StopReply>ask(supervisor,
                        replyTo -> new LocalSupervisor.StopFsm(name, delete, replyTo), timeout, system.scheduler())
                .thenApply(reply -> {
                    if (reply.failure() != null) {
                        throw new IllegalStateException("could not erase FSM '" + name + "': " + reply.failure(),
                                reply.failure());
                    }
                    if (!reply.found()) {
                        throw support.notFound(name);
                    }
                    return Done.getInstance();
                });
    }

    @Override
    public void addListener(FsmListener<P> listener) {
        environment.addListener(listener);
    }

    @Override
    public String toString() {
        return "Finitomata(" + id() + ", " + environment.type().getSimpleName() + ")";
    }
}
