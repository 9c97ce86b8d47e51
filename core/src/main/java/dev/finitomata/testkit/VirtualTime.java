package dev.finitomata.testkit;

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
 * The scheduler of an ActorSystem on Pekko's {@code ManualTime}, driven step by step.
 *
 * <p>Design: {@code ManualTime.timePasses} runs every task that falls due in one go on the calling thread, while the
 * actors handle what those tasks sent them concurrently; a timer an FSM arms on that tick would then be dated from
 * wherever the scheduler's time happens to be. The kit instead moves time to the next task that is due, runs the
 * tasks due then, and waits until every FSM has settled before it looks again, so that the run is deterministic and
 * in due order. It uses the scheduler's public {@code executeTasks} and {@code currentTimeMs}, and reads what is
 * scheduled through the public accessor Scala generates for the scheduler's private map (checked when the kit is
 * created: a Pekko that changes it fails there, naming it). It avoids {@code timePasses}, which sleeps 100 ms on
 * every call.
 */
final class VirtualTime {

    private static final String SCHEDULED = "org$apache$pekko$testkit$ExplicitlyTriggeredScheduler$$scheduled";
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
    static VirtualTime of(ActorSystem<?> system) {
        Scheduler classic = Adapter.toClassic(system).scheduler();
        if (!(classic instanceof ExplicitlyTriggeredScheduler manual)) {
            return null;
        }
        try {
            return new VirtualTime(manual, ExplicitlyTriggeredScheduler.class.getMethod(SCHEDULED),
                    system.executionContext());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("this Pekko's ExplicitlyTriggeredScheduler has no " + SCHEDULED
                    + "(): the test kit cannot see what is scheduled (it was written for Pekko 1.7)", e);
        }
    }

    /** The scheduler's time, in milliseconds since the ActorSystem started. */
    long now() {
        return scheduler.currentTimeMs();
    }

    /** When the earliest scheduled task is due, if any is. */
    OptionalLong nextDue() {
        Map<?, ?> tasks;
        try {
            tasks = (Map<?, ?>) scheduled.invoke(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not read the tasks of the manual scheduler", e);
        }
        return tasks.values().stream().mapToLong(due -> (Long) due).min();
    }

    /** Runs every task due at or before {@code time}, on this thread; time stops at the last one run. */
    void runTo(long time) {
        scheduler.executeTasks(time);
    }

    /** Moves time to {@code time} (no earlier task may be due): a task of its own, run at once, takes it there. */
    void moveTo(long time) {
        long now = now();
        if (time > now) {
            scheduler.scheduleOnce(Duration.ofMillis(time - now), NOTHING, executor);
            scheduler.executeTasks(time);
        }
    }
}
