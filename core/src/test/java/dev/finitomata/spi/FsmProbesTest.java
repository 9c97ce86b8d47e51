package dev.finitomata.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmError;
import dev.finitomata.RecordingFsm;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe SPI: what a probe is shown and told, that a failing probe harms no FSM, and that removal stops it. */
class FsmProbesTest {

    private ActorTestKit kit;

    @BeforeEach
    void start() {
        kit = ActorTestKit.create("probes", ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
                pekko.persistence.snapshot-store.local.dir = "target/snapshots-probes-%d"
                pekko.loglevel = WARNING
                """.formatted(System.nanoTime())).withFallback(ConfigFactory.load()));
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void aProbeSeesEverySupervisorAndIsToldOfTransitionsAndFailures() {
        Finitomata<Counter> first = Finitomata.create(kit.system(), "first", RecordingFsm.class, RecordingFsm::new);
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> told = new CopyOnWriteArrayList<>();
        FsmProbe probe = supervisor -> {
            seen.add(supervisor.id() + ":" + supervisor.definition().entryState());
            return new FsmTypeProbe() {
                @Override
                public void transitioned(String from, String event, String to, long nanos) {
                    assertTrue(nanos > 0);
                    told.add(supervisor.id() + " " + from + ">" + event + ">" + to + " "
                            + supervisor.countByStateOnThisNode());
                }

                @Override
                public void failed(FsmError error) {
                    told.add(supervisor.id() + " failed " + error.stage());
                }
            };
        };
        FsmProbes.add(kit.system(), probe);
        FsmProbes.add(kit.system(), probe); // added once only
        Finitomata<Counter> second = Finitomata.create(kit.system(), "second", RecordingFsm.class, RecordingFsm::new);
        assertEquals(List.of("first:idle", "second:idle"), seen);

        join(first.start("a", new Counter(0)));
        join(first.transitionAndWait("a", "start", null));
        CompletionException refused = assertThrows(CompletionException.class,
                () -> join(second.transitionAndWait("nobody", "start", null)));
        assertTrue(refused.getCause() instanceof dev.finitomata.FsmNotFoundException, refused.toString());
        join(second.start("b", new Counter(0)));
        assertThrows(CompletionException.class, () -> join(second.transitionAndWait("b", "work", null)));
        // the index is updated first, then the probe is told, then the caller answered: it sees the new counts
        assertEquals(List.of("first *>__start__>idle {idle=1}", "first idle>start>working {working=1}",
                "second *>__start__>idle {idle=1}", "second failed ACCEPT"), told);

        FsmProbes.remove(kit.system(), probe);
        join(first.transitionAndWait("a", "work", null));
        assertEquals(4, told.size());
    }

    @Test
    void aProbeThatThrowsHarmsNoFsm() {
        FsmProbes.add(kit.system(), supervisor -> new FsmTypeProbe() {
            @Override
            public void transitioned(String from, String event, String to, long nanos) {
                throw new IllegalStateException("broken probe");
            }

            @Override
            public void failed(FsmError error) {
                throw new IllegalStateException("broken probe");
            }
        });
        FsmProbes.add(kit.system(), supervisor -> {
            throw new IllegalStateException("cannot observe");
        });
        Finitomata<Counter> fsms = Finitomata.create(kit.system(), "robust", RecordingFsm.class, RecordingFsm::new);
        join(fsms.start("a", new Counter(0)));
        assertEquals("working", join(fsms.transitionAndWait("a", "start", null)).current());
        assertThrows(CompletionException.class, () -> join(fsms.transitionAndWait("a", "start", null)));
        assertEquals(Map.of("working", 1L), join(fsms.countByState()));
        assertThrows(NullPointerException.class, () -> FsmProbes.add(kit.system(), null));
    }
}
