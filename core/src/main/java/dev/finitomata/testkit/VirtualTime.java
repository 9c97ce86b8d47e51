package dev.finitomata.testkit;

import dev.finitomata.internal.pekko.PekkoInternals;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.testkit.ExplicitlyTriggeredScheduler;

/**
 * INTERNAL API (the test kit's). The scheduler of an ActorSystem on Pekko's {@code ManualTime}, driven step by step.
 *
 * <p>Design: {@code ManualTime.timePasses} runs every task that falls due in one go on the calling thread, while the
 * actors handle what those tasks sent them concurrently; a timer an FSM arms on that tick would then be dated from
 * wherever the scheduler's time happens to be. The kit instead moves time to the next actor timer that is due, runs
 * the tasks due by then, and waits until every FSM has settled before it looks again, so that the run is
 * deterministic and in due order. Tasks that are no actor's timer (a serializer's cache cleanup every 5 s, found
 * when the cluster modules are on the class path) are run in passing without a step of their own: a step per such
 * task made 30 days take minutes. It reads the scheduler's {@code currentTimeMs} and what is scheduled, through the
 * public accessor Scala generates for the scheduler's private map (checked when the kit is created: a Pekko that
 * changes it fails there, naming it), tells timers apart by their runnable's class, and runs the due tasks itself
 * ({@link #runTo}: Pekko's {@code executeTasks} can set its time back). It avoids {@code timePasses}, which sleeps
 * 100 ms on every call.
 */
public final class VirtualTime {

    private final ExplicitlyTriggeredScheduler scheduler;
    private final Method scheduled;

    private VirtualTime(ExplicitlyTriggeredScheduler scheduler, Method scheduled) {
        this.scheduler = scheduler;
        this.scheduled = scheduled;
    }

    /** The virtual time of {@code system}, or null when its scheduler runs on the wall clock. */
    public static VirtualTime of(ActorSystem<?> system) {
        Scheduler classic = Adapter.toClassic(system).scheduler();
        if (!(classic instanceof ExplicitlyTriggeredScheduler manual)) {
            return null;
        }
        return new VirtualTime(manual, PekkoInternals.scheduledTasks());
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

    /**
     * Runs every task due at or before {@code time}, earliest first, on this thread; time stops at the last one run
     * and never goes back. Pekko's own {@code executeTasks} sets its time to each task's as it runs it, so a task that
     * another thread scheduled meanwhile, dated from the time it read before the run moved on, set the time back: an
     * FSM that read it then re-armed its hourly timer 1 s early, for good. Here such a task runs at the current time.
     */
    public void runTo(long time) {
        Map<Object, Object> tasks = tasks();
        while (true) {
            Object first = null;
            long due = Long.MAX_VALUE;
            for (Map.Entry<Object, Object> task : tasks.entrySet()) {
                long at = (Long) task.getValue();
                if (at <= time && at < due) {
                    first = task.getKey();
                    due = at;
                }
            }
            if (first == null) {
                return;
            }
            long at = Math.max(due, now());
            setNow(at);
            boolean ran;
            Object interval;
            try {
                interval = field(first, "interval");
                ((Runnable) field(first, "runnable")).run();
                ran = true;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("could not run a task of the manual scheduler", e);
            } catch (RuntimeException failed) {
                ran = false; // (as Pekko: a task that throws is not repeated)
                interval = null;
            }
            tasks.remove(first);
            if (ran && interval instanceof scala.Some<?> every) {
                tasks.put(first, at + ((scala.concurrent.duration.FiniteDuration) every.value()).toMillis());
            }
        }
    }

    /** Runs every task due by {@code time}, then moves time there. */
    public void moveTo(long time) {
        runTo(time);
        if (time > now()) {
            setNow(time);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> tasks() {
        try {
            return (Map<Object, Object>) scheduled.invoke(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not read the tasks of the manual scheduler", e);
        }
    }

    private void setNow(long time) {
        try {
            Field field = ExplicitlyTriggeredScheduler.class.getDeclaredField("currentTime");
            field.setAccessible(true);
            ((java.util.concurrent.atomic.AtomicLong) field.get(scheduler)).set(time);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not move the manual scheduler's time", e);
        }
    }
}
