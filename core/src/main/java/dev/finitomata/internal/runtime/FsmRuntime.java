package dev.finitomata.internal.runtime;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmError;
import dev.finitomata.FsmFactory;
import dev.finitomata.FsmListener;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.engine.FsmDecider;
import dev.finitomata.internal.engine.Guard;
import dev.finitomata.internal.engine.HardRetries;
import dev.finitomata.internal.engine.UserCode;
import dev.finitomata.internal.engine.Versioning;
import dev.finitomata.internal.pekko.PekkoInternals;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.Replies;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * INTERNAL API. How hosts (the local supervisor, the cluster gate) get an FSM actor, and how a facade reads its FSM
 * type's definition before hosting any. Building an FSM calls the user's factory on the FSM's own thread; a factory or
 * definition that fails makes an actor that refuses every start with the reason ({@link #unbuildable}), so that the
 * caller hears it instead of waiting.
 */
public final class FsmRuntime {

    private static final String PROBE_NAME = "(definition)";
    private static final UserCode HOOKS = UserCode.get();

    private FsmRuntime() {
    }

    /**
     * The behavior of the FSM {@code name}, hosted by what {@code hosts} builds. (No supervision wrapper beyond
     * Pekko's restart on journal failures: user code cannot fail the actor, and each wrapper costs every FSM a few
     * hundred bytes.)
     */
    public static Behavior<Command> behavior(FsmType type, FsmFactory<?> factory, String name,
                                             FsmHost.Factory hosts) {
        return Behaviors.withTimers(timers -> Behaviors.setup(ctx ->
                create(type, factory, name, hosts.create(name, ctx), ctx, timers)));
    }

    @SuppressWarnings("unchecked")
    private static <P> Behavior<Command> create(FsmType type, FsmFactory<?> factory, String name, FsmHost host,
                                                ActorContext<Command> ctx, TimerScheduler<Command> timers) {
        String persistenceId;
        try {
            persistenceId = type.persistenceId(name); // waits for the type name pinned in the journal, if it must
        } catch (IllegalStateException e) {
            return unbuildable(type, name, null, host, ctx, "could not start the FSM: " + e.getMessage());
        }
        FsmContext context = HOOKS.context(type.supervisorId(), name, persistenceId, type.settings().clock(),
                ctx.getSystem(), ctx, type.type());
        Built<P> fsm;
        try {
            FsmBehavior<P> behavior = ((FsmFactory<P>) factory).create(context);
            if (behavior == null) {
                throw new IllegalStateException("the FsmFactory returned null");
            }
            FsmDefinition definition = HOOKS.definition(behavior);
            if (definition == null) {
                throw new IllegalStateException(behavior.getClass().getName() + ".definition() returned null");
            }
            Versioning.check(behavior, definition);
            HardRetries.check(behavior, definition);
            fsm = new Built<>(behavior, definition, context, internalEvents(behavior, definition));
        } catch (Throwable e) {
            return unbuildable(type, name, persistenceId, host, ctx, "could not create the FSM: "
                    + Guard.threw(e).getMessage());
        }
        type.learn(fsm.definition(), fsm.internalEvents(), () -> {
            try {
                return declaredListeners(fsm.behavior());
            } catch (IllegalStateException e) { // the facade was created before it could read them: say so, go on
                ctx.getLog().warn("FSM type {}: {}; its declared listeners are not registered", type.type()
                        .getName(), e.getMessage());
                return List.of();
            }
        });
        // Pekko would also send every persisted event to the event stream (PublishedEvent, for Replicated Event
        // Sourcing), one more message per transition that nothing here reads: 4-5% of a burst's transitions/s
        return PekkoInternals.withoutEventPublishing(new FsmActor<>(type, fsm, host, ctx, timers));
    }

    /**
     * What an FSM whose factory or definition failed does (or whose persistence id is unknown: null): refuses every
     * start, answers as not running.
     */
    private static Behavior<Command> unbuildable(FsmType type, String name, String persistenceId, FsmHost host,
                                                 ActorContext<Command> ctx, String reason) {
        FsmError error = FsmDecider.error(FsmError.Stage.START, FsmDecider.STAR, FsmDefinition.START_EVENT, null,
                reason);
        ctx.getLog().warn("FSM '{}': {}", name, reason);
        host.recovered(false);
        return Behaviors.receiveMessage(command -> {
            switch (command) {
                case Command.Init init -> {
                    host.ended();
                    init.replyTo().tell(new Replies.StartReply(null, error)); // never succeeds here: no reroute
                }
                case Command.Delete delete when persistenceId == null -> {
                    host.ended();
                    delete.replyTo().tell(new Replies.Deleted(reason));
                }
                case Command.Delete delete -> ctx.pipeToSelf(Journals.deletePersisted(ctx.getSystem(),
                        type.settings(), persistenceId), (done, failure) ->
                        new Command.Erasure(delete.replyTo(), failure == null ? null : Guard.describe(failure)));
                case Command.Erasure erasure -> {
                    host.ended();
                    erasure.replyTo().tell(new Replies.Deleted(erasure.failure()));
                }
                case Command.Shutdown shutdown -> {
                    return Behaviors.stopped();
                }
                default -> {
                    host.ended();
                    Command.answerNotRunning(name, command);
                }
            }
            return Behaviors.same();
        });
    }

    /**
     * The FSM type's definition, read from one instance built with a detached context (no actor), on the caller's
     * thread, so that a facade can check event names before it hosts any FSM; and the startup check of its
     * versioning. Empty when the constructor needs what a detached context cannot give; the definition is then
     * learnt from the first FSM the facade hosts.
     *
     * @throws IllegalStateException if the type's versioning is inconsistent (the message says what to fix)
     */
    public static Optional<FsmDefinition> probeDefinition(ActorSystem<?> system, FsmType type,
                                                          FsmFactory<?> factory) {
        FsmContext detached = HOOKS.context(type.supervisorId(), PROBE_NAME, type.probePersistenceId(PROBE_NAME),
                type.settings().clock(), system, null, type.type());
        FsmBehavior<?> fsm;
        FsmDefinition definition;
        try {
            fsm = factory.create(detached);
            definition = fsm == null ? null : HOOKS.definition(fsm);
        } catch (Throwable e) {
            Guard.rethrowIfFatal(e);
            return Optional.empty();
        }
        if (definition == null) {
            return Optional.empty();
        }
        Versioning.check(fsm, definition); // the startup check: a mistake here fails the facade's creation
        HardRetries.check(fsm, definition);
        type.learn(definition, internalEvents(fsm, definition), () -> declaredListeners(fsm));
        return Optional.of(definition);
    }

    /**
     * The FSM type's own listeners ({@code listeners()}).
     *
     * @throws IllegalStateException if {@code listeners()} threw or answered null: the facade's creation fails
     */
    static List<? extends FsmListener<?>> declaredListeners(FsmBehavior<?> fsm) {
        List<? extends FsmListener<?>> declared;
        try {
            declared = HOOKS.listeners(fsm);
        } catch (RuntimeException e) {
            throw new IllegalStateException(fsm.getClass().getName() + ".listeners() threw " + e, e);
        }
        if (declared == null || declared.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalStateException(fsm.getClass().getName() + ".listeners() answered null or a null "
                    + "listener; answer List.of() for none");
        }
        return List.copyOf(declared);
    }

    /**
     * The FSM's {@code internalEvents()}, checked against its definition.
     *
     * @throws IllegalArgumentException naming an internal event the definition does not have
     */
    static Set<String> internalEvents(FsmBehavior<?> fsm, FsmDefinition definition) {
        Set<String> internal = Set.copyOf(HOOKS.internalEvents(fsm));
        for (String event : internal) {
            if (!definition.events().contains(event)) {
                throw new IllegalArgumentException(fsm.getClass().getName() + ".internalEvents() names '" + event
                        + "', which is not an event of its definition; its events are " + definition.events());
            }
        }
        return internal;
    }
}
