package dev.finitomata.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.RecordingFsm;
import dev.finitomata.sharding.it.ClusterProbes;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess$;
import org.apache.pekko.persistence.testkit.StorageFailure;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the sleep register of an FSM's shard cannot write, the FSM still passivates and still wakes on time: its gate
 * keeps it, passivated, and wakes it with a timer of its own (one node, Pekko's persistence test kit journal failing
 * every write of the registers). Once the journal takes their writes again, the registers park FSMs again.
 */
class ParkFailureTest {

    private ClusterHost host;

    @AfterEach
    void close() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void anFsmWhoseRegisterCannotWriteStaysWithItsGateAndWakesOnTime() throws Exception {
        host = new ClusterHost(1, ConfigFactory.parseString("""
                finitomata.passivate-idle-after = 300ms
                finitomata.wake-ahead = 500ms
                finitomata.ask-timeout = 3s
                """).withFallback(ClusterHost.config(null, PersistenceTestKitPlugin.config()
                .withFallback(PersistenceTestKitSnapshotPlugin.config()))));
        var system = host.kits().get(0).system();
        PersistenceTestKit journal = PersistenceTestKit.create(system);
        journal.withPolicy(new ProcessingPolicy<JournalOperation>() {
            @Override
            public ProcessingResult tryProcess(String persistenceId, JournalOperation operation) {
                return persistenceId.startsWith("fsm-sleeps|") && operation instanceof WriteEvents
                        ? new StorageFailure(new IllegalStateException("the register's writes fail on purpose"))
                        : ProcessingSuccess$.MODULE$;
            }
        });
        Infinitomata<Counter> fsms = Infinitomata.create(system, "unparked", RecordingFsm.class, RecordingFsm::new);
        String name = "unparked-" + System.nanoTime();
        ClusterProbes.forAllCounting(java.util.List.of(name), n -> fsms.start(n, new Counter(0)));
        await(fsms.transitionAndWait(name, "start", null));
        long due = System.currentTimeMillis() + 2_500;
        fsms.transition(name, "work", null, Duration.ofMillis(2_500));

        ClusterProbes.eventually(Duration.ofSeconds(20),
                () -> fsms.passivated() == 1 && !exists(system, name + "/fsm"), "the FSM's actor passivated");
        assertTrue(exists(system, name), "its gate stays: the register could not park it");
        assertEquals(1, await(fsms.count()), "still counted");
        int built = RecordingFsm.CREATED.get(name).get();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (RecordingFsm.log(name).stream().noneMatch("onTransition:working:work"::equals)) {
            assertTrue(System.nanoTime() < deadline, "the delay did not fire");
            Thread.sleep(5);
        }
        long late = System.currentTimeMillis() - due;
        assertTrue(late >= -20 && late <= 1_000, "fired " + late + " ms after it was due");
        assertEquals(built + 1, RecordingFsm.CREATED.get(name).get(), "woken by its gate's timer, not by a call");
        assertEquals(new Counter(1), await(fsms.state(name)).orElseThrow().payload());

        // the journal takes the register's writes again: the register, which failed its writes, parks FSMs now
        journal.resetPolicy();
        String later = name + "-later";
        await(fsms.start(later, new Counter(0)));
        await(fsms.transitionAndWait(later, "start", null));
        fsms.transition(later, "work", null, Duration.ofSeconds(3));
        ClusterProbes.eventually(Duration.ofSeconds(10), () -> !exists(system, later),
                "the FSM is parked in its register: its gate is gone");
        ClusterProbes.eventually(Duration.ofSeconds(10), () -> RecordingFsm.log(later).stream()
                .anyMatch("onTransition:working:work"::equals), "the register woke it for its delay");
    }

    /** Whether the actor at {@code path} (the FSM's name, then its child's) under the FSMs' shard region exists now. */
    private static boolean exists(org.apache.pekko.actor.typed.ActorSystem<?> system, String path) {
        String shard = ConsistentHashClusterInfo.shardOf(path.split("/")[0], 60);
        var selection = Adapter.toClassic(system).actorSelection("/system/sharding/finitomata-unparked/" + shard + "/"
                + path);
        try {
            selection.resolveOne(Duration.ofSeconds(1)).toCompletableFuture().get(2, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
