package dev.finitomata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.FsmState;
import dev.finitomata.TimerResult;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code TimerResult.reschedule(delay)}: the next tick comes after {@code delay}, not after the interval, and
 * {@code details} shows it; then the interval applies again. On virtual time.
 */
class RescheduleTest {

    /** Ticks every minute, but asks for its second tick five minutes after the first. */
    public static final class Poller extends FsmBehavior<Integer> {
        static final Map<String, AtomicInteger> TICKS = new ConcurrentHashMap<>();
        static final FsmDefinition DEFINITION = FsmDefinition.parse("""
                [*] --> polling : begin
                polling --> [*] : end
                """);

        public Poller(FsmContext context) {
            super(context);
        }

        @Override
        protected FsmDefinition definition() {
            return DEFINITION;
        }

        @Override
        protected Transition<Integer> onTransition(String state, String event, Object arg, Integer payload) {
            return Transition.to(targetOf(state, event), payload);
        }

        @Override
        protected java.util.Optional<Duration> timer() {
            return java.util.Optional.of(Duration.ofMinutes(1));
        }

        @Override
        protected TimerResult<Integer> onTimer(String state, FsmState<Integer> fsm) {
            int tick = TICKS.computeIfAbsent(fsm.name(), n -> new AtomicInteger()).incrementAndGet();
            return tick == 1 ? TimerResult.reschedule(Duration.ofMinutes(5)) : TimerResult.ok();
        }
    }

    static final ActorTestKit TEST_KIT = ActorTestKit.create("reschedule",
            ManualTime.config().withFallback(VirtualTimeTest.JOURNAL));

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    @Test
    void aRescheduledTickComesAfterItsDelayThenTheIntervalAgain() throws Exception {
        FsmTestKit<Integer> kit = FsmTestKit.create(TEST_KIT, Poller.class, Poller::new);
        kit.start("poller", 0);
        kit.advance(Duration.ofMinutes(1));
        assertEquals(1, Poller.TICKS.get("poller").get(), "the first tick, after the interval");
        assertEquals(kit.now().plus(Duration.ofMinutes(5)), kit.supervisor().details("poller")
                .toCompletableFuture().get().orElseThrow().timer().orElseThrow().nextTick());
        kit.advance(Duration.ofMinutes(4));
        assertEquals(1, Poller.TICKS.get("poller").get(), "rescheduled: nothing after the interval");
        kit.advance(Duration.ofMinutes(1));
        assertEquals(2, Poller.TICKS.get("poller").get(), "the second tick, five minutes after the first");
        kit.advance(Duration.ofMinutes(1));
        assertEquals(3, Poller.TICKS.get("poller").get(), "then every minute again");
    }
}
