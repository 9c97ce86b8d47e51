package dev.finitomata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Lifecycle;
import dev.finitomata.StartResult;
import dev.finitomata.testkit.Subscription.Account;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link FsmTestKit#advance}: timers and delayed transitions on Pekko's ManualTime, in due order, through the journal. */
class VirtualTimeTest {

    static final Config JOURNAL = ConfigFactory.parseString("""
            pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
            pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
            pekko.persistence.snapshot-store.local.dir = "target/testkit-snapshots"
            pekko.loglevel = WARNING
            """).withFallback(ConfigFactory.load());

    private ActorTestKit testKit;

    private FsmTestKit<Account> kit() {
        testKit = ActorTestKit.create("virtual", ManualTime.config().withFallback(JOURNAL));
        return FsmTestKit.create(testKit, Subscription.class, Subscription::new);
    }

    @AfterEach
    void shutdown() {
        if (testKit != null) {
            testKit.shutdownTestKit();
        }
    }

    private static Account opened(FsmTestKit<Account> kit) {
        return new Account(kit.now().toEpochMilli(), 0, List.of());
    }

    @Test
    void theClockStandsStillUntilAdvanced() {
        FsmTestKit<Account> kit = kit();
        assertTrue(kit.virtualTime());
        Instant start = kit.now();
        kit.start("quiet", opened(kit));
        assertEquals(start, kit.now(), "virtual time moved by itself");
        kit.advance(Duration.ofMinutes(90));
        assertEquals(start.plus(Duration.ofMinutes(90)), kit.now());
        kit.advance(Duration.ZERO);
        assertEquals(start.plus(Duration.ofMinutes(90)), kit.now());
        assertThrows(IllegalArgumentException.class, () -> kit.advance(Duration.ofSeconds(-1)));
    }

    @Test
    void aThirtyDayDelayFiresWhenItFallsDueAndNotBefore() {
        FsmTestKit<Account> kit = kit();
        FsmUnderTest<Account> trial = kit.start("trial", opened(kit));
        kit.supervisor().transition("trial", "remind", null, Duration.ofDays(10));
        kit.supervisor().transition("trial", "expire", null, Duration.ofDays(30));

        kit.advance(Duration.ofDays(10).minusMillis(1));
        assertEquals("trial", trial.state().current());
        kit.advance(Duration.ofMillis(1));
        assertEquals("reminded", trial.state().current());
        kit.advance(Duration.ofDays(20));
        assertEquals("closed", trial.state().current()); // expired, then the hard 'close!'
        assertEquals(List.of("remind@240", "expire@720", "close!@720"), trial.state().payload().seen());
    }

    @Test
    void anHourlyTimerTicksSevenHundredAndTwentyTimesAndLapsesTheAccount() {
        FsmTestKit<Account> kit = kit();
        FsmUnderTest<Account> account = kit.start("account", opened(kit));
        account.assertTransition("subscribe", null, "active");
        kit.advance(Duration.ofDays(29));
        assertEquals(29 * 24, account.state().payload().billed());
        assertEquals("active", account.state().current());
        kit.advance(Duration.ofDays(2));
        assertEquals("closed", account.state().current());
        assertEquals(Subscription.HOURS_PAID, account.state().payload().billed());
        assertEquals(List.of("subscribe@0", "lapse@720", "close!@720"), account.state().payload().seen());
        // on virtual time FSMs do not passivate: with passivate-idle-after's 120 s, its idle checks made the kit take
        // a step every 2 virtual minutes (the kit's settles kept it awake all the same: 7 passivations in 720 hours)
        assertEquals(0, dev.finitomata.internal.local.LocalFsms.of(kit.supervisor()).passivations());
    }

    @Test
    void delaysOfSeveralFsmsFireInDueOrder() {
        FsmTestKit<Account> kit = kit();
        Instant start = kit.now();
        for (int i = 0; i < 6; i++) {
            kit.start("fsm-" + i, opened(kit));
            // fsm-0 is due last, fsm-5 first: the order the events are sent in is not the order they fall due
            kit.supervisor().transition("fsm-" + i, "expire", null, Duration.ofHours(10 - i));
        }
        List<Instant> expired = new java.util.concurrent.CopyOnWriteArrayList<>();
        kit.supervisor().addListener((name, state, payload) -> {
            if (state.equals("expired")) {
                expired.add(kit.now());
            }
        });
        kit.advance(Duration.ofHours(10));
        assertEquals(List.of(5, 6, 7, 8, 9, 10), expired.stream()
                .map(at -> (int) Duration.between(start, at).toHours()).toList());
        for (int i = 0; i < 6; i++) {
            assertEquals(List.of("expire@" + (10 - i), "close!@" + (10 - i)),
                    kit.attach("fsm-" + i).state().payload().seen());
        }
    }

    @Test
    void aDelayThatFellDueWhileStoppedFiresFromTheJournalWhenLoaded() throws Exception {
        FsmTestKit<Account> kit = kit();
        FsmUnderTest<Account> trial = kit.start("sleeper", opened(kit));
        kit.supervisor().transition("sleeper", "expire", null, Duration.ofDays(30));
        kit.advance(Duration.ofDays(1));
        kit.supervisor().stop("sleeper").toCompletableFuture().get(10, TimeUnit.SECONDS);
        kit.advance(Duration.ofDays(40)); // a stopped FSM has no timers: nothing fires
        assertFalse(kit.supervisor().alive("sleeper").toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(StartResult.LOADED, kit.supervisor().start("sleeper", opened(kit)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS));
        kit.settle();
        assertEquals("closed", trial.state().current());
        assertEquals(Lifecycle.LOADED, trial.state().lifecycle());
        assertEquals(List.of("expire@984", "close!@984"), trial.state().payload().seen(),
                "the overdue expiry fires when the FSM is loaded, 41 days in");
    }

    @Test
    void theSameScenarioGivesTheSameRunTwice() {
        List<Object> first = scenario();
        shutdown();
        assertEquals(first, scenario());
    }

    private List<Object> scenario() {
        FsmTestKit<Account> kit = kit();
        for (int i = 0; i < 4; i++) {
            kit.start("s-" + i, opened(kit));
            kit.supervisor().transition("s-" + i, i % 2 == 0 ? "subscribe" : "remind", null, Duration.ofHours(i));
            kit.supervisor().transition("s-" + i, "expire", null, Duration.ofDays(3 + i));
        }
        kit.advance(Duration.ofDays(40));
        List<Object> run = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Account account = kit.attach("s-" + i).state().payload();
            run.add(account.billed() + " " + account.seen());
        }
        return run;
    }

    @Test
    void delaysOfOneFsmDueAtTheSameTimeFireInTheOrderTheyWereScheduled() {
        FsmTestKit<Account> kit = kit();
        for (int i = 0; i < 8; i++) {
            kit.start("tie-" + i, opened(kit));
            kit.supervisor().transition("tie-" + i, "remind", null, Duration.ofHours(5));
            kit.supervisor().transition("tie-" + i, "expire", null, Duration.ofHours(5));
        }
        kit.advance(Duration.ofHours(5));
        for (int i = 0; i < 8; i++) {
            assertEquals(List.of("remind@5", "expire@5", "close!@5"), kit.attach("tie-" + i).state().payload().seen());
        }
    }

    @Test
    void periodicTasksOfNoFsmRunInPassingAndEveryTimeTheyFallDue() {
        FsmTestKit<Account> kit = kit();
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        // like a serializer's cache cleanup or a journal's compaction: not an actor's timer
        testKit.system().scheduler().scheduleWithFixedDelay(Duration.ofMinutes(1), Duration.ofMinutes(1),
                runs::incrementAndGet, testKit.system().executionContext());
        FsmUnderTest<Account> trial = kit.start("busy", opened(kit));
        kit.supervisor().transition("busy", "expire", null, Duration.ofDays(30));
        kit.advance(Duration.ofDays(30));
        assertEquals(30 * 24 * 60, runs.get());
        assertEquals(List.of("expire@720", "close!@720"), trial.state().payload().seen());
    }

    @Test
    void advanceNeedsManualTime() {
        testKit = ActorTestKit.create("wall-clock", JOURNAL);
        FsmTestKit<Account> kit = FsmTestKit.create(testKit, Subscription.class, Subscription::new);
        assertFalse(kit.virtualTime());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kit.advance(Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("ManualTime.config()"), e.getMessage());
    }
}
