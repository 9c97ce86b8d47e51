package dev.finitomata.internal.engine;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmListener;
import dev.finitomata.FsmState;
import dev.finitomata.TimerResult;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * INTERNAL API. <b>The one bridge between the API and the engine.</b> The hooks of {@link FsmBehavior} are
 * {@code protected} (users override them; nobody else calls them) and {@link FsmContext} has no public constructor,
 * yet the engine, in another package, must call the one and build the other. {@code FsmBehavior} installs the only
 * implementation of this class from its static initializer (the JDK's "shared secrets" pattern), so the API exposes
 * nothing for it. {@link #get()} initializes {@code FsmBehavior} first if no instance exists yet.
 *
 * <p>Every method just forwards; exceptions of user code pass through unchanged, for {@link Guard} to handle.
 */
public abstract class UserCode {

    private static volatile UserCode installed;

    /** For {@code FsmBehavior}'s implementation only. */
    protected UserCode() {
    }

    /**
     * Called once, by {@code FsmBehavior}'s static initializer.
     *
     * @throws IllegalStateException if called again
     */
    public static synchronized void install(UserCode implementation) {
        if (installed != null) {
            throw new IllegalStateException("the engine's access to FsmBehavior is already installed");
        }
        installed = implementation;
    }

    /** The implementation installed by {@code FsmBehavior}. */
    public static UserCode get() {
        UserCode code = installed;
        if (code == null) {
            try {
                Class.forName(FsmBehavior.class.getName(), true, UserCode.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("finitomata-core is incomplete", e);
            }
            code = installed;
        }
        return code;
    }

    /** A context for the FSM {@code name}; {@code actor} is null for the detached context of the startup probe. */
    public abstract FsmContext context(String supervisorId, String name, String persistenceId, Clock clock,
                                       ActorSystem<?> system, ActorContext<?> actor, Class<?> type);

    public abstract FsmDefinition definition(FsmBehavior<?> fsm);

    public abstract <P> Transition<P> onTransition(FsmBehavior<P> fsm, String state, String event,
                                                   Object eventPayload, P payload) throws Exception;

    public abstract <P> P onStart(FsmBehavior<P> fsm, P payload) throws Exception;

    public abstract <P> void onEnter(FsmBehavior<P> fsm, String state, FsmState<P> view) throws Exception;

    public abstract <P> void onExit(FsmBehavior<P> fsm, String state, FsmState<P> view) throws Exception;

    public abstract <P> void onFailure(FsmBehavior<P> fsm, String event, Object eventPayload, FsmState<P> view)
            throws Exception;

    public abstract <P> void onRollback(FsmBehavior<P> fsm, String target, FsmState<P> view) throws Exception;

    public abstract <P> void onTerminate(FsmBehavior<P> fsm, FsmState<P> view, dev.finitomata.Termination reason)
            throws Exception;

    public abstract <P> TimerResult<P> onTimer(FsmBehavior<P> fsm, String state, FsmState<P> view) throws Exception;

    public abstract Optional<Duration> timer(FsmBehavior<?> fsm, String state);

    public abstract boolean autoTerminate(FsmBehavior<?> fsm, String state);

    public abstract Optional<dev.finitomata.Retry> retry(FsmBehavior<?> fsm, String state);

    public abstract java.util.Set<String> internalEvents(FsmBehavior<?> fsm);

    public abstract <P> java.util.List<FsmListener<P>> listeners(FsmBehavior<P> fsm);

    public abstract <P> java.util.List<dev.finitomata.Fork> onFork(FsmBehavior<P> fsm, String state, P payload)
            throws Exception;

    public abstract int version(FsmBehavior<?> fsm);

    public abstract Map<String, String> renamedStates(FsmBehavior<?> fsm);

    public abstract <P> Transition<P> migrate(FsmBehavior<P> fsm, int fromVersion, String state, P payload)
            throws Exception;
}
