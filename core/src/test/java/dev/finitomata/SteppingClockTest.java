package dev.finitomata;

import static dev.finitomata.FsmRuntimeContract.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.internal.local.LocalFsms;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.LightArrayRevolverScheduler;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.event.LoggingAdapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The FSMs' clock read twice where once was meant shows as a millisecond's difference only when the clock happens to
 * turn between the two readings: {@code LocalPassivationTest} failed on it once in CI. Here the FSMs' clock never
 * tells the same millisecond twice ({@link SteppingScheduler}), so each such place differs every time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SteppingClockTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /**
     * Pekko's own scheduler (real time), which also tells the FSMs' clock ({@code SchedulerClock} reads a scheduler's
     * public {@code currentTimeMs()}): real milliseconds since it started, but each reading at least one later than
     * the one before.
     */
    public static final class SteppingScheduler extends LightArrayRevolverScheduler {
        private final long startNanos = System.nanoTime();
        private final AtomicLong last = new AtomicLong(-1);

        public SteppingScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {
            super(config, log, threadFactory);
        }

        /** Milliseconds since this scheduler started; never the same twice. */
        public long currentTimeMs() {
            long real = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            return last.updateAndGet(before -> Math.max(real, before + 1));
        }
    }

    private ActorTestKit testKit;
    private FsmSupervisor<Counter> fsms;
    private LocalFsms<Counter> engine;

    @BeforeAll
    void start() {
        testKit = ActorTestKit.create("SteppingClockTest", ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.scheduler.implementation = "dev.finitomata.SteppingClockTest$SteppingScheduler"
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
                pekko.persistence.snapshot-store.local.dir = "target/snapshots-stepping-%d"
                finitomata.passivate-idle-after = 200ms
                finitomata.wake-ahead = 500ms
                """.formatted(System.nanoTime())).withFallback(ConfigFactory.load()));
        fsms = Finitomata.create(testKit.system(), "stepping", RecordingFsm.class, RecordingFsm::new);
        engine = LocalFsms.of(fsms);
    }

    @AfterAll
    void stop() {
        testKit.shutdownTestKit();
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theClockSteps() {
        java.time.Clock clock = dev.finitomata.internal.pekko.SchedulerClock.of(testKit.system());
        assertTrue(clock.millis() < clock.millis(), "two readings differ");
    }

    @Test
    void aWokenFsmKeepsTheTickItHadToTheMillisecond() {
        String name = "woken-" + System.nanoTime();
        RecordingFsm.TIMERS.put(name, Duration.ofSeconds(3));
        assertEquals(StartResult.STARTED, await(fsms.start(name, new Counter(0))));
        await(fsms.transitionAndWait(name, "start", null));
        Instant due = await(fsms.details(name)).orElseThrow().timer().orElseThrow().nextTick();
        eventually(() -> engine.passivated() == 1, "the FSM with only a slow timer passivates");
        int built = RecordingFsm.CREATED.get(name).get();

        assertEquals(0, await(fsms.state(name)).orElseThrow().payload().value()); // a call wakes it
        assertEquals(built + 1, RecordingFsm.CREATED.get(name).get(), "woken by the call");
        assertEquals(due, await(fsms.details(name)).orElseThrow().timer().orElseThrow().nextTick(),
                "the next tick is the one it had before it passivated");
    }
}
