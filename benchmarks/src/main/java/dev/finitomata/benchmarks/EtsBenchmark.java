package dev.finitomata.benchmarks;

import dev.finitomata.persistence.ets.Ets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import scala.jdk.javaapi.CollectionConverters;

/**
 * ETS journal throughput and memory against Pekko's in-memory journal, measured in the same run:
 * persisted writes per second with one writer (each write awaited before the next) and with 1,000 concurrent
 * writers, and heap bytes per stored event for 1,000,000 events (payload shared, so the figure is the store's own
 * cost).
 */
public final class EtsBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String INMEM = "pekko.persistence.journal.inmem";

    private EtsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = Adapter.toTyped(org.apache.pekko.actor.ActorSystem.create("ets-bench",
                Bench.config("pekko.persistence.snapshot-store.plugin = \"finitomata.persistence.ets.snapshot-store\"")));
        try {
            Bench.Table table = new Bench.Table("ETS journal vs Pekko inmem journal (writes awaited)");
            double[] one = Bench.medians(2, 5, () -> writes(system, Ets.JOURNAL, 1, 20_000),
                    () -> writes(system, INMEM, 1, 20_000));
            double oneEts = one[0];
            double oneMem = one[1];
            table.row("writes/s, 1 writer", oneEts, "inmem", oneMem, true, "/s");
            double[] many = Bench.medians(1, 5, () -> writes(system, Ets.JOURNAL, 1_000, 100),
                    () -> writes(system, INMEM, 1_000, 100));
            double manyEts = many[0];
            double manyMem = many[1];
            table.row("writes/s, 1,000 writers", manyEts, "inmem", manyMem, true, "/s");
            double bytesEts = bytesPerEvent(system, Ets.JOURNAL);
            double bytesMem = bytesPerEvent(system, INMEM);
            table.row("heap bytes per stored event (1M events)", bytesEts, "inmem", bytesMem, false, "B");
            table.print();
        } finally {
            system.terminate();
        }
    }

    private static int round;

    /** {@code writers} actors each persist {@code each} values, one awaited write at a time; answers writes/s. */
    static double writes(ActorSystem<?> system, String journal, int writers, int each) throws Exception {
        int r = round++;
        List<org.apache.pekko.actor.typed.ActorRef<Baseline.Go>> refs = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            Behavior<Baseline.Go> behavior = Baseline.create("w-" + r + "-" + i, journal);
            refs.add(Adapter.spawnAnonymous(Adapter.toClassic(system), behavior));
        }
        long start = System.nanoTime();
        List<CompletableFuture<?>> chains = new ArrayList<>();
        for (var ref : refs) {
            CompletionStage<?> chain = CompletableFuture.completedFuture(null);
            for (int v = 0; v < each; v++) {
                chain = chain.thenCompose(d -> AskPattern.<Baseline.Go, Baseline.State>ask(ref,
                        reply -> new Baseline.Go("go", reply), TIMEOUT, system.scheduler()));
            }
            chains.add(chain.toCompletableFuture());
        }
        CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get();
        double seconds = (System.nanoTime() - start) / 1e9;
        refs.forEach(ref -> Adapter.toClassic(system).stop(Adapter.toClassic(ref)));
        return writers * (double) each / seconds;
    }

    /** Writes 1,000,000 events (1,000 ids x 1,000) straight to the journal; answers heap growth per event. */
    static double bytesPerEvent(ActorSystem<?> system, String journalId) throws Exception {
        ActorRef journal = Persistence.get(Adapter.toClassic(system)).journalFor(journalId,
                com.typesafe.config.ConfigFactory.empty());
        String payload = "shared-payload";
        String writer = "writer-uuid";
        int ids = 1_000;
        int events = 1_000;
        long before = Bench.usedHeap();
        for (int id = 0; id < ids; id++) {
            String pid = "mem-" + journalId.hashCode() + "-" + id;
            List<PersistentEnvelope> writes = new ArrayList<>(events);
            for (int seq = 1; seq <= events; seq++) {
                writes.add(AtomicWrite.apply(PersistentRepr.apply(payload, seq, pid, "", false, ActorRef.noSender(),
                        writer)));
            }
            var probe = Adapter.toClassic(system).actorOf(org.apache.pekko.actor.Props.create(Collector.class,
                    () -> new Collector(events)));
            CompletionStage<Object> done = Patterns.ask(probe, "done?", TIMEOUT);
            journal.tell(new JournalProtocol.WriteMessages(CollectionConverters.asScala(writes).toSeq(), probe, 1),
                    ActorRef.noSender());
            done.toCompletableFuture().get();
        }
        long after = Bench.usedHeap();
        return (after - before) / (double) (ids * events);
    }

    /** Counts write confirmations; answers "done?" once all have arrived. */
    static final class Collector extends org.apache.pekko.actor.AbstractActor {
        private final int expected;
        private int seen;
        private ActorRef asker;

        Collector(int expected) {
            this.expected = expected;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals("done?", m -> {
                        asker = getSender();
                        check();
                    })
                    .match(JournalProtocol.WriteMessageSuccess.class, m -> {
                        seen++;
                        check();
                    })
                    .matchAny(m -> { })
                    .build();
        }

        private void check() {
            if (asker != null && seen == expected) {
                asker.tell(Done.getInstance(), getSelf());
                getContext().stop(getSelf());
            }
        }
    }
}
