package dev.finitomata;

import java.time.Clock;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an FSM knows about itself: its name, persistence id, supervisor, clock, logger and actor context. Created by
 * the framework and handed to the {@link FsmFactory}; pass it on to the {@link FsmBehavior} constructor.
 *
 * <p>Use it on the FSM's own thread (inside callbacks), like a Pekko {@code ActorContext}. A supervisor also builds
 * one instance of your FSM class when it is created, on the thread that creates the supervisor, with a
 * <em>detached</em> context, only to read its {@link FsmBehavior#definition() definition}: there
 * {@link #actorContext()} throws {@link IllegalStateException}, so keep constructors to plain field assignments.
 *
 * <p><b>Not for users to create or extend</b>: only the framework builds contexts, and it may add methods.
 * (The FSM's own timers are the framework's; schedule your own work with
 * {@code actorContext().scheduleOnce(...)}, or better, a timer or a delayed transition of the FSM, which persist.)
 */
public final class FsmContext {

    private final String supervisorId;
    private final String name;
    private final String persistenceId;
    private final Clock clock;
    private final ActorSystem<?> system;
    private final ActorContext<?> actorContext;
    private final Logger log;

    FsmContext(String supervisorId, String name, String persistenceId, Clock clock, ActorSystem<?> system,
               ActorContext<?> actorContext, Class<?> type) {
        this.supervisorId = Objects.requireNonNull(supervisorId, "supervisorId");
        this.name = Objects.requireNonNull(name, "name");
        this.persistenceId = Objects.requireNonNull(persistenceId, "persistenceId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.system = system;
        this.actorContext = actorContext;
        this.log = actorContext != null ? actorContext.getLog() : LoggerFactory.getLogger(type);
    }

    /** The FSM's name, unique within its supervisor. */
    public String name() {
        return name;
    }

    /** The id of the supervisor ({@code Finitomata}/{@code Infinitomata}) the FSM runs under. */
    public String supervisorId() {
        return supervisorId;
    }

    /**
     * The persistence id its transitions are journaled under: {@code fsm|<supervisor id>|<type>|<name>}, where
     * {@code <type>} is the type name the supervisor id was first run with (the simple name of the behavior class
     * then; see docs/runtime.md, "Persistence ids").
     */
    public String persistenceId() {
        return persistenceId;
    }

    /**
     * The Pekko actor context of the FSM (spawn helpers, watch, ...).
     *
     * @throws IllegalStateException in the detached context a supervisor uses to read the definition
     */
    public ActorContext<?> actorContext() {
        if (actorContext == null) {
            throw detached("actorContext()");
        }
        return actorContext;
    }

    /**
     * The ActorSystem the FSM runs in.
     *
     * @throws IllegalStateException only for an FSM built outside any ActorSystem (in a unit test of the runtime)
     */
    public ActorSystem<?> system() {
        if (system == null) {
            throw new IllegalStateException("FSM '" + name + "' runs outside an ActorSystem");
        }
        return system;
    }

    /** The FSM's logger. */
    public Logger log() {
        return log;
    }

    /**
     * The clock that dates delayed transitions: the wall clock, or, on an ActorSystem with Pekko's
     * {@code ManualTime}, the scheduler's virtual time (the test kit's {@code advance} moves it).
     */
    public Clock clock() {
        return clock;
    }

    /** Whether this is the detached context used only to read the definition. */
    boolean detached() {
        return actorContext == null;
    }

    private IllegalStateException detached(String what) {
        return new IllegalStateException("FSM '" + name + "': " + what + " is not available in the constructor of "
                + "the instance a supervisor builds to read the definition; use it in callbacks");
    }

    @Override
    public String toString() {
        return "FsmContext(" + supervisorId + ", " + name + (detached() ? ", detached)" : ")");
    }
}
