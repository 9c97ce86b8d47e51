package dev.finitomata.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmSupervisor;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.RecordingFsm;
import dev.finitomata.ShipmentFsm;
import dev.finitomata.sharding.Infinitomata;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;

/**
 * The meters of {@link FinitomataMetrics}, on a local supervisor created before the binding, one created after, and
 * an {@code Infinitomata} on a one-node cluster: each counts what its FSMs did, the gauge equals
 * {@code countByState()}, no tag carries an FSM's name, and Prometheus can scrape them.
 */
class FinitomataMetricsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static Config config(String table) {
        return ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "finitomata.persistence.ets.journal"
                pekko.persistence.snapshot-store.plugin = "finitomata.persistence.ets.snapshot-store"
                finitomata.persistence.ets.journal.table = "%1$s"
                finitomata.persistence.ets.snapshot-store.table = "%1$s"
                pekko.loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "dev.finitomata.FsmLoggingFilter"
                """.formatted(table + "-" + System.nanoTime())).withFallback(ConfigFactory.load());
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** 3 starts, 2 of them moved to working, 1 refused event (stage ACCEPT). */
    private static void drive(FsmSupervisor<Counter> fsms) {
        for (int i = 0; i < 3; i++) {
            await(fsms.start("fsm-" + i, new Counter(0)));
        }
        await(fsms.transitionAndWait("fsm-0", "start", null));
        await(fsms.transitionAndWait("fsm-1", "start", null));
        assertThrows(FsmTransitionException.class, () -> await(fsms.transitionAndWait("fsm-2", "work", null)));
    }

    private static double transitions(MeterRegistry registry, String type, String from, String event, String to) {
        return registry.get("finitomata.transitions")
                .tags("fsm.type", type, "from", from, "event", event, "to", to).counter().count();
    }

    private static void assertMeters(MeterRegistry registry, String type, FsmSupervisor<Counter> fsms) {
        assertEquals(3, transitions(registry, type, "*", "__start__", "idle"));
        assertEquals(2, transitions(registry, type, "idle", "start", "working"));
        assertEquals(0, transitions(registry, type, "working", "pause?", "paused"), "an edge never taken shows 0");
        assertEquals(1, registry.get("finitomata.failures").tags("fsm.type", type, "stage", "ACCEPT").counter()
                .count());
        assertEquals(5, registry.get("finitomata.transition.duration").tags("fsm.type", type).timer().count());
        Map<String, Long> counts = await(fsms.countByState());
        assertEquals(Map.of("idle", 1L, "working", 2L), counts);
        for (Meter gauge : registry.get("finitomata.fsms").tags("fsm.type", type).gauges()) {
            String state = gauge.getId().getTag("state");
            assertEquals(counts.getOrDefault(state, 0L).doubleValue(), gauge.measure().iterator().next().getValue(),
                    state);
        }
    }

    private static void assertNoNameInTags(MeterRegistry registry) {
        Set<String> values = registry.getMeters().stream().flatMap(m -> m.getId().getTags().stream())
                .map(Tag::getValue).collect(Collectors.toSet());
        assertTrue(values.stream().noneMatch(v -> v.startsWith("fsm-")), values.toString());
    }

    @Test
    void localSupervisorsCreatedBeforeAndAfterTheBindingAreMetered() {
        ActorTestKit kit = ActorTestKit.create("metrics", config("metrics"));
        try {
            Finitomata<Counter> before = Finitomata.create(kit.system(), "before", RecordingFsm.class,
                    RecordingFsm::new);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            FinitomataMetrics metrics = new FinitomataMetrics(kit.system());
            metrics.bindTo(registry);
            Finitomata<Counter> after = Finitomata.create(kit.system(), "after", RecordingFsm.class,
                    RecordingFsm::new);
            drive(before);
            drive(after);
            assertMeters(registry, "before", before);
            assertMeters(registry, "after", after);
            assertNoNameInTags(registry);

            metrics.close(); // no longer counted
            await(before.transitionAndWait("fsm-2", "start", null));
            assertEquals(2, transitions(registry, "before", "idle", "start", "working"));
        } finally {
            kit.shutdownTestKit();
        }
    }

    /** Issue 25, point 2: each failed attempt of a retried hard event is a failure of the meters. */
    @Test
    void eachFailedAttemptOfARetriedHardEventIsCounted() {
        ActorTestKit kit = ActorTestKit.create("retries", config("retries"));
        try {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new FinitomataMetrics(kit.system()).bindTo(registry);
            Finitomata<Integer> orders = Finitomata.create(kit.system(), "shipments", ShipmentFsm.class,
                    ShipmentFsm::new);
            ShipmentFsm.failNext("metered", 2);
            await(orders.start("metered", 0));
            await(orders.transitionAndWait("metered", "pay", null));
            long deadline = System.nanoTime() + TIMEOUT.toNanos(); // retried after 1 s, then 2 s
            while (!await(orders.state("metered")).orElseThrow().current().equals("shipped")) {
                assertTrue(System.nanoTime() < deadline, "not shipped within " + TIMEOUT);
                Thread.sleep(20);
            }
            assertEquals(2, registry.get("finitomata.failures").tags("fsm.type", "shipments", "stage", "TRANSITION")
                    .counter().count());
            assertEquals(1, registry.get("finitomata.transitions").tags("fsm.type", "shipments", "from", "paid",
                    "event", "ship!", "to", "shipped").counter().count());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void prometheusScrapesThem() {
        ActorTestKit kit = ActorTestKit.create("prometheus", config("prometheus"));
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new FinitomataMetrics(kit.system()).bindTo(registry);
            Finitomata<Counter> fsms = Finitomata.create(kit.system(), "orders", RecordingFsm.class,
                    RecordingFsm::new);
            drive(fsms);
            String scrape = registry.scrape();
            assertTrue(scrape.contains(
                    "finitomata_transitions_total{event=\"start\",from=\"idle\",fsm_type=\"orders\",to=\"working\"} 2.0"),
                    scrape);
            assertTrue(scrape.contains("finitomata_fsms{fsm_type=\"orders\",state=\"working\"} 2.0"), scrape);
            assertTrue(scrape.contains("finitomata_failures_total{fsm_type=\"orders\",stage=\"ACCEPT\"} 1.0"), scrape);
            assertTrue(scrape.contains("finitomata_transition_duration_seconds_count{fsm_type=\"orders\"} 5"), scrape);
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void infinitomataOnAOneNodeClusterIsMeteredTheSame() {
        ActorTestKit kit = ActorTestKit.create("cluster-metrics", ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.enabled = off
                pekko.coordinated-shutdown.exit-jvm = off
                finitomata.persistence.ets.journal.serialize = on
                """).withFallback(config("cluster-metrics")));
        try {
            Cluster cluster = Cluster.get(kit.system());
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (cluster.selfMember().status() != MemberStatus.up()) {
                assertFalse(System.nanoTime() > deadline, "the node did not come up");
                Thread.onSpinWait();
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new FinitomataMetrics(kit.system()).bindTo(registry);
            Infinitomata<Counter> fsms = Infinitomata.create(kit.system(), "sharded", RecordingFsm.class,
                    RecordingFsm::new);
            drive(fsms);
            assertMeters(registry, "sharded", fsms);
            assertNoNameInTags(registry);
        } finally {
            kit.shutdownTestKit();
        }
    }
}
