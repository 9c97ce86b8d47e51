package dev.finitomata.testkit;

import dev.finitomata.internal.pekko.PekkoInternals;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.testkit.ExplicitlyTriggeredScheduler;
import scala.concurrent.ExecutionContext;

/**
 * INTERNAL API (the test kit's). The scheduler of an ActorSystem on Pekko's {@code ManualTime}, driven step by step.
 *
 * <p>Design: {@code ManualTime.timePasses} runs every task that falls due in one go on the calling thread, while the
 * actors handle what those tasks sent them concurrently; a timer an FSM arms on that tick would then be dated from
 * wherever the scheduler's time happens to be. The kit instead moves time to the next actor timer that is due, runs
 * the tasks due by then, and waits until every FSM has settled before it looks again, so that the run is
 * deterministic and in due order. Tasks that are no actor's timer (a serializer's cache cleanup every 5 s, found
 * when the cluster modules are on the class path) are run in passing without a step of their own: a step per such
 * task made 30 days take minutes. It uses the scheduler's public {@code executeTasks} and {@code currentTimeMs},
 * reads what is scheduled through the public accessor Scala generates for the scheduler's private map (checked when
 * the kit is created: a Pekko that changes it fails there, naming it), and tells timers apart by their runnable's
 * class. It avoids {@code timePasses}, which sleeps 100 ms on every call.
 */
public final class VirtualTime {

    private static final Runnable NOTHING = () -> { };

    private final ExplicitlyTriggeredScheduler scheduler;
    private final Method scheduled;
    private final ExecutionContext executor;

    private VirtualTime(ExplicitlyTriggeredScheduler scheduler, Method scheduled, ExecutionContext executor) {
        this.scheduler = scheduler;
        this.scheduled = scheduled;
        this.executor = executor;
    }

    /** The virtual time of {@code system}, or null when its scheduler runs on the wall clock. */
    public static VirtualTime of(ActorSystem<?> system) {
        Scheduler classic = Adapter.toClassic(system).scheduler();
        if (!(classic instanceof ExplicitlyTriggeredScheduler manual)) {
            return null;
        }
        return new VirtualTime(manual, PekkoInternals.scheduledTasks(), system.executionContext());
    }

    /** The scheduler's time, in milliseconds since the ActorSystem started. */
    public long now() {
        return scheduler.currentTimeMs();
    }

    /**
     * When the earliest task that sends an actor a timer message (an FSM's tick or delayed transition, or any typed
     * actor's timer) is due, if any is. Tasks of no actor's (a serializer's cache cleanup every 5 s, a journal's
     * compaction, ask timeouts) do not count: {@link #runTo} runs them in passing.
     */
    public OptionalLong nextTimerDue() {
        Map<?, ?> tasks;
        try {
            tasks = (Map<?, ?>) scheduled.invoke(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not read the tasks of the manual scheduler", e);
        }
        long first = Long.MAX_VALUE;
        for (Map.Entry<?, ?> task : tasks.entrySet()) {
            long due = (Long) task.getValue();
            if (due < first && sendsATimerMessage(task.getKey())) {
                first = due;
            }
        }
        return first == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(first);
    }

    /**
     * Whether a scheduled item runs a typed actor's timer: its runnable (or, for a fixed-delay timer, the runnable it
     * wraps) is Pekko's {@code TimerSchedulerImpl}'s. Read from private fields; when they cannot be read every task
     * counts, which is slower (a step per task) but still right.
     */
    private static boolean sendsATimerMessage(Object item) {
        try {
            Object runnable = field(item, "runnable");
            if (runnable.getClass().getName().startsWith(PekkoInternals.TIMER_CLASS_PREFIX)) {
                return true;
            }
            for (Field wrapped : runnable.getClass().getDeclaredFields()) {
                if (wrapped.getName().startsWith("runnable")) {
                    wrapped.setAccessible(true);
                    Object inner = wrapped.get(runnable);
                    return inner != null && inner.getClass().getName().startsWith(PekkoInternals.TIMER_CLASS_PREFIX);
                }
            }
            return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }

    /** Runs every task due at or before {@code time}, on this thread; time stops at the last one run. */
    public void runTo(long time) {
        scheduler.executeTasks(time);
    }

    /** Runs every task due by {@code time}, then moves time there: a task of its own, run last, takes it there. */
    public void moveTo(long time) {
        scheduler.executeTasks(time);
        long now = now();
        if (time > now) {
            scheduler.scheduleOnce(Duration.ofMillis(time - now), NOTHING, executor);
            scheduler.executeTasks(time);
        }
    }
}
