package dev.finitomata.internal.pekko;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * INTERNAL API. The clock the runtime reads ({@code FsmContext.clock()}): the system clock, unless the ActorSystem's
 * scheduler keeps a time of its own.
 *
 * <p>Design: the FSMs' timers and delays run on the ActorSystem's scheduler, and a delayed transition is persisted
 * with the time it is due. Both must agree on what "now" is. Pekko's {@code ManualTime} swaps in a scheduler
 * ({@code ExplicitlyTriggeredScheduler}) that only moves when a test says so and tells its time through a public
 * {@code long currentTimeMs()}; when the scheduler has that method, this clock reads it, counted from the system's
 * start (so dates look like today's), and time stands still until the test advances it. The method is found by name
 * so that the runtime needs no test kit on its class path.
 */
public final class SchedulerClock extends Clock {

    private final long epochMillis;
    private final Scheduler scheduler;
    private final MethodHandle currentTimeMs;
    private final ZoneId zone;

    private SchedulerClock(long epochMillis, Scheduler scheduler, MethodHandle currentTimeMs, ZoneId zone) {
        this.epochMillis = epochMillis;
        this.scheduler = scheduler;
        this.currentTimeMs = currentTimeMs;
        this.zone = zone;
    }

    /** The clock of {@code system}: its scheduler's, if that keeps its own time, else {@link Clock#systemUTC()}. */
    public static Clock of(ActorSystem<?> system) {
        Scheduler scheduler = Adapter.toClassic(system).scheduler();
        try {
            MethodHandle time = MethodHandles.publicLookup().findVirtual(scheduler.getClass(), "currentTimeMs",
                    MethodType.methodType(long.class));
            return new SchedulerClock(system.startTime(), scheduler, time, ZoneOffset.UTC);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return Clock.systemUTC();
        }
    }

    /** Whether {@code clock} is a scheduler's (virtual) time. */
    public static boolean isVirtual(Clock clock) {
        return clock instanceof SchedulerClock;
    }

    @Override
    public long millis() {
        try {
            return epochMillis + (long) currentTimeMs.invoke(scheduler);
        } catch (Throwable e) {
            throw new IllegalStateException("the scheduler " + scheduler.getClass().getName()
                    + " failed to tell its time", e);
        }
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new SchedulerClock(epochMillis, scheduler, currentTimeMs, other);
    }

    @Override
    public String toString() {
        return "SchedulerClock(" + scheduler.getClass().getSimpleName() + ")";
    }
}
