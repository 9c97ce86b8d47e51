package dev.finitomata.internal.pekko;

import java.lang.reflect.Method;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.persistence.typed.internal.JournalFailureException;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.testkit.ExplicitlyTriggeredScheduler;
import scala.Tuple2;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

/**
 * INTERNAL API. Every place where Finitomata reaches into Pekko's internals or Scala's types, in one class, each
 * pinned by {@code PekkoInternalsTest} so that a Pekko upgrade that changes one fails there, naming it. Written for
 * Pekko 1.7.
 *
 * <ul>
 *   <li>{@link #journalFailure}: Pekko's own exception for a failed journal write, the only one its event-sourced
 *       behavior restarts with backoff on; a rejected write is turned into it (Pekko would stop the actor).</li>
 *   <li>{@link #withoutEventPublishing}: an FSM's event-sourced behavior built as Pekko's javadsl builds it, with
 *       the publishing of every persisted event on the event stream turned off (the javadsl has no switch).</li>
 *   <li>{@link #signalHandler}: one handler object over Scala's partial function (Pekko's builder chains a partial
 *       function per signal type, bytes in every FSM).</li>
 *   <li>{@link #SCHEDULED_TASKS} and {@link #TIMER_CLASS_PREFIX}: what the test kit's virtual time reads of Pekko's
 *       manual scheduler (the accessor Scala generates for its private task map) and how it tells an actor's timer
 *       from other scheduled tasks.</li>
 * </ul>
 */
public final class PekkoInternals {

    /** The accessor of {@code ExplicitlyTriggeredScheduler}'s private map of scheduled tasks to due times. */
    public static final String SCHEDULED_TASKS = "org$apache$pekko$testkit$ExplicitlyTriggeredScheduler$$scheduled";
    /** The class (and its inner classes) whose runnables send typed actors their timer messages. */
    public static final String TIMER_CLASS_PREFIX = "org.apache.pekko.actor.typed.internal.TimerSchedulerImpl";

    private PekkoInternals() {
    }

    /**
     * {@code behavior} as Pekko builds it, but without publishing each persisted event on the event stream
     * ({@code PublishedEvent}, for Replicated Event Sourcing): the javadsl has no switch for it.
     */
    public static <C, E, S> org.apache.pekko.actor.typed.Behavior<C> withoutEventPublishing(
            org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior<C, E, S> behavior) {
        @SuppressWarnings("unchecked") // a Scala trait over a class: javac does not see that it is a Behavior
        org.apache.pekko.actor.typed.Behavior<C> built = (org.apache.pekko.actor.typed.Behavior<C>) (Object) behavior
                .createEventSourcedBehavior().withEventPublishing(false);
        return built;
    }

    /** The exception Pekko's event-sourced behavior restarts on (with its backoff) after a failed write. */
    public static RuntimeException journalFailure(String message, Throwable cause) {
        return new JournalFailureException(message, cause);
    }

    /**
     * One signal handler calling {@code handler} with the state and every signal of the types {@code handled} (pass a
     * shared array: the handler keeps it).
     */
    public static <S> SignalHandler<S> signalHandler(BiConsumer<S, Signal> handler, Class<?>[] handled) {
        return new SignalHandler<>(new AbstractPartialFunction<Tuple2<S, Signal>, BoxedUnit>() {
            @Override
            public boolean isDefinedAt(Tuple2<S, Signal> signal) {
                for (Class<?> type : handled) {
                    if (type.isInstance(signal._2())) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public BoxedUnit apply(Tuple2<S, Signal> signal) {
                handler.accept(signal._1(), signal._2());
                return BoxedUnit.UNIT;
            }
        });
    }

    /**
     * The accessor of the manual scheduler's task map.
     *
     * @throws IllegalStateException naming it, if this Pekko has none
     */
    public static Method scheduledTasks() {
        try {
            return ExplicitlyTriggeredScheduler.class.getMethod(SCHEDULED_TASKS);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("this Pekko's ExplicitlyTriggeredScheduler has no " + SCHEDULED_TASKS
                    + "(): the test kit cannot see what is scheduled (it was written for Pekko 1.7)", e);
        }
    }
}
