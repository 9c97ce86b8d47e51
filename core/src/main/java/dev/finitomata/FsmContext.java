package dev.finitomata;

import dev.finitomata.internal.FsmEnvironment;
import dev.finitomata.internal.FsmProtocol;
import java.time.Clock;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;

/**
 * What an FSM knows about itself: its name, persistence id, supervisor, actor context and timers. Created by the
 * framework and handed to the {@link FsmFactory}; pass it on to the {@link FsmBehavior} constructor.
 *
 * <p>Use it only on the FSM's own thread (inside callbacks), like a Pekko {@code ActorContext}.
 */
public final class FsmContext {

    private final FsmEnvironment environment;
    private final String name;
    private final ActorContext<FsmProtocol.Command> actorContext;
    private final TimerScheduler<FsmProtocol.Command> timers;
    private final Runnable stopSelf;

    /**
     * INTERNAL API: created by the facades.
     *
     * @throws NullPointerException if an argument is null
     */
    public FsmContext(FsmEnvironment environment, String name, ActorContext<FsmProtocol.Command> actorContext,
                      TimerScheduler<FsmProtocol.Command> timers) {
        this(environment, name, actorContext, timers, null);
    }

    /**
     * INTERNAL API: created by the facades; {@code stopSelf} (may be null: the environment's) removes this FSM.
     *
     * @throws NullPointerException if an argument other than {@code stopSelf} is null
     */
    public FsmContext(FsmEnvironment environment, String name, ActorContext<FsmProtocol.Command> actorContext,
                      TimerScheduler<FsmProtocol.Command> timers, Runnable stopSelf) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.name = Objects.requireNonNull(name, "name");
        this.actorContext = Objects.requireNonNull(actorContext, "actorContext");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.stopSelf = stopSelf != null ? stopSelf : () -> environment.stopSelf(name, actorContext);
    }

    void stopSelf() {
        stopSelf.run();
    }

    /** The FSM's name, unique within its supervisor. */
    public String name() {
        return name;
    }

    /** The id of the supervisor ({@code Finitomata}/{@code Infinitomata}) the FSM runs under. */
    public String supervisorId() {
        return environment.supervisorId();
    }

    /** The persistence id its transitions are journaled under: {@code fsm|<supervisor id>|<type>|<name>}. */
    public String persistenceId() {
        return environment.persistenceId(name);
    }

    /** The Pekko actor context of the FSM (spawn helpers, watch, ...). */
    public ActorContext<?> actorContext() {
        return actorContext;
    }

    /** The ActorSystem the FSM runs in. */
    public ActorSystem<?> system() {
        return actorContext.getSystem();
    }

    /** The FSM's logger. */
    public Logger log() {
        return actorContext.getLog();
    }

    /** The clock that dates delayed transitions (injectable through the supervisor, for tests). */
    public Clock clock() {
        return environment.settings().clock();
    }

    /** The FSM's timers (the framework uses its own keys; cancel only keys you started). */
    public TimerScheduler<?> timers() {
        return timers;
    }

    FsmEnvironment environment() {
        return environment;
    }

    ActorContext<FsmProtocol.Command> self() {
        return actorContext;
    }

    TimerScheduler<FsmProtocol.Command> timerScheduler() {
        return timers;
    }
}
