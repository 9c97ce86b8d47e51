package dev.finitomata;

import dev.finitomata.internal.FacadeSupport;
import dev.finitomata.internal.FsmEnvironment;
import dev.finitomata.internal.FsmProtocol;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The actor behind a {@link Finitomata}: spawns one child per running FSM and stops them.
 *
 * <p>Design: the facade reads {@code running} directly (a concurrent map only this actor writes), so transitions go
 * straight to the FSM without passing through here. Starting, stopping and deleting do pass through here, so that
 * they are ordered per name: while a name is being stopped or erased, later requests for it wait and are replayed
 * once it is gone.
 */
final class LocalSupervisor<P> {

    /** Messages of the supervisor. */
    sealed interface Msg {
    }

    record StartFsm(String name, Object payload, ActorRef<FsmProtocol.StartReply> replyTo) implements Msg {
    }

    record StopFsm(String name, boolean delete, ActorRef<StopReply> replyTo) implements Msg {
    }

    /** Whether the FSM was found; {@code failure} when erasing its state failed. */
    record StopReply(boolean found, Throwable failure) {
    }

    /** A command for an FSM whose start the facade has not seen complete yet: delivered after the start. */
    record Forward(String name, FsmProtocol.Command command) implements Msg {
    }

    /** An FSM that could not start asks to be stopped. */
    record StopChild(String name, ActorRef<FsmProtocol.Command> child) implements Msg {
    }

    private record ChildStopped(String name, ActorRef<FsmProtocol.Command> child) implements Msg {
    }

    private record Erased(String name, Throwable failure, ActorRef<StopReply> replyTo) implements Msg {
    }

    private final ActorContext<Msg> context;
    private final FsmEnvironment environment;
    private final FsmFactory<P> factory;
    private final Map<String, ActorRef<FsmProtocol.Command>> running;
    private final Map<String, List<Msg>> waiting = new HashMap<>();
    private final Map<String, Runnable> whenStopped = new HashMap<>();
    private long incarnation;

    private LocalSupervisor(ActorContext<Msg> context, FsmEnvironment environment, FsmFactory<P> factory,
                            Map<String, ActorRef<FsmProtocol.Command>> running) {
        this.context = context;
        this.environment = environment;
        this.factory = factory;
        this.running = running;
    }

    static <P> Behavior<Msg> create(FsmEnvironment environment, FsmFactory<P> factory,
                                    Map<String, ActorRef<FsmProtocol.Command>> running) {
        return Behaviors.setup(ctx -> new LocalSupervisor<>(ctx, environment, factory, running).behavior());
    }

    private Behavior<Msg> behavior() {
        return Behaviors.receive(Msg.class)
                .onMessage(StartFsm.class, this::start)
                .onMessage(StopFsm.class, this::stop)
                .onMessage(Forward.class, this::forward)
                .onMessage(StopChild.class, m -> {
                    context.stop(m.child());
                    return Behaviors.same();
                })
                .onMessage(ChildStopped.class, this::stopped)
                .onMessage(Erased.class, this::erased)
                .build();
    }

    private Behavior<Msg> start(StartFsm m) {
        if (waiting.containsKey(m.name())) {
            waiting.get(m.name()).add(m);
        } else if (running.containsKey(m.name())) {
            m.replyTo().tell(new FsmProtocol.StartReply(StartResult.ALREADY_STARTED, null));
        } else {
            ActorRef<FsmProtocol.Command> child = context.spawn(fsm(m.name()),
                    URLEncoder.encode(m.name(), StandardCharsets.UTF_8) + "-" + (++incarnation),
                    DispatcherSelector.fromConfig(environment.settings().dispatcher()));
            context.watchWith(child, new ChildStopped(m.name(), child));
            running.put(m.name(), child);
            child.tell(new FsmProtocol.Init(m.payload(), m.replyTo()));
        }
        return Behaviors.same();
    }

    /**
     * The behavior of one FSM. It captures only the name: the actor's props keep this factory for the FSM's
     * lifetime, so a captured start reply would stay on the heap as long as the FSM. A factory that fails answers the
     * {@code Init} that always comes first, then stops.
     */
    private Behavior<FsmProtocol.Command> fsm(String name) {
        return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
            try {
                FsmBehavior<P> behavior = factory.create(new FsmContext(environment, name, ctx, timers));
                if (behavior == null || behavior.definition() == null) {
                    throw new IllegalStateException(behavior == null ? "the FsmFactory returned null"
                            : behavior.getClass().getName() + ".definition() returned null");
                }
                return behavior;
            } catch (RuntimeException | LinkageError e) {
                FsmError error = new FsmError(FsmError.Stage.START, "*", "__start__", null,
                        "could not create the FSM: " + e);
                return Behaviors.receiveMessage(command -> {
                    if (command instanceof FsmProtocol.Init init) {
                        init.replyTo().tell(new FsmProtocol.StartReply(null, error));
                    }
                    return Behaviors.stopped();
                });
            }
        }));
    }

    private Behavior<Msg> forward(Forward m) {
        if (waiting.containsKey(m.name())) {
            waiting.get(m.name()).add(m);
            return Behaviors.same();
        }
        ActorRef<FsmProtocol.Command> child = running.get(m.name());
        if (child != null) {
            child.tell(m.command());
        } else {
            switch (m.command()) {
                case FsmProtocol.Fire f when f.replyTo() != null -> f.replyTo().tell(new FsmProtocol.NotRunning(m.name()));
                case FsmProtocol.GetState g -> g.replyTo().tell(new FsmProtocol.StateReply(null));
                default -> context.getLog().warn("no FSM named '{}' is running; {} dropped", m.name(), m.command());
            }
        }
        return Behaviors.same();
    }

    private Behavior<Msg> stop(StopFsm m) {
        if (waiting.containsKey(m.name())) {
            waiting.get(m.name()).add(m);
            return Behaviors.same();
        }
        ActorRef<FsmProtocol.Command> child = running.get(m.name());
        if (child == null) {
            if (m.delete()) {
                erase(m.name(), m.replyTo());
            } else {
                m.replyTo().tell(new StopReply(false, null));
            }
            return Behaviors.same();
        }
        waiting.put(m.name(), new ArrayList<>());
        whenStopped.put(m.name(), () -> {
            if (m.delete()) {
                erase(m.name(), m.replyTo());
            } else {
                m.replyTo().tell(new StopReply(true, null));
                replay(m.name());
            }
        });
        child.tell(new FsmProtocol.Stop(context.getSystem().ignoreRef()));
        return Behaviors.same();
    }

    private Behavior<Msg> stopped(ChildStopped m) {
        running.remove(m.name(), m.child());
        Runnable then = whenStopped.remove(m.name());
        if (then != null) {
            then.run();
        }
        return Behaviors.same();
    }

    private void erase(String name, ActorRef<StopReply> replyTo) {
        waiting.putIfAbsent(name, new ArrayList<>());
        context.pipeToSelf(FacadeSupport.deletePersisted(context.getSystem(), environment.settings(),
                environment.persistenceId(name)), (done, failure) -> new Erased(name, failure, replyTo));
    }

    private Behavior<Msg> erased(Erased m) {
        m.replyTo().tell(new StopReply(true, m.failure()));
        replay(m.name());
        return Behaviors.same();
    }

    private void replay(String name) {
        List<Msg> later = waiting.remove(name);
        if (later != null) {
            later.forEach(context.getSelf()::tell);
        }
    }
}
