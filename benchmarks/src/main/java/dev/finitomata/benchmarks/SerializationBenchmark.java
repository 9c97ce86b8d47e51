package dev.finitomata.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.internal.protocol.Event;
import dev.finitomata.internal.protocol.FsmSerializable;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * What one transition's event costs to write and to read back, and its size: Finitomata's compact form
 * ({@code TransitionSerializer}), the same event through Pekko's {@code jackson-cbor} (the form before it), and the
 * hand-written behavior's event ({@code Baseline.Moved}, also {@code jackson-cbor}), each carrying the benchmark's
 * payload. One thread, 1,000,000 events per measurement, the three interleaved round by round.
 *
 * <p>Arguments: {@code [rounds=N] [warmup=N]} (default 5 rounds after 2 warm-up rounds).
 */
public final class SerializationBenchmark {

    private static final int EVENTS = 1_000_000;

    private SerializationBenchmark() {
    }

    /**
     * One measurement: writes {@code EVENTS} events and reads every eighth back; prints µs per write and read, and
     * answers ns per write.
     */
    private record Form(String name, Serialization serialization, Serializer forced, boolean theirs)
            implements Callable<Double> {

        @Override
        public Double call() throws Exception {
            long base = System.currentTimeMillis();
            long bytes = 0;
            long reading = 0;
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                Object event = theirs ? new Baseline.Moved("b", new PingPong.Ball(i))
                        : Event.Transitioned.of("a", "go", "b", new PingPong.Ball(i), 1, base + i);
                Serializer serializer = forced != null ? forced : serialization.findSerializerFor(event);
                String manifest = forced != null ? event.getClass().getName()
                        : Serializers.manifestFor(serializer, event);
                byte[] written = serializer.toBinary(event);
                bytes += written.length + manifest.length();
                if ((i & 7) == 0) {
                    long read = System.nanoTime();
                    if (serialization.deserialize(written, serializer.identifier(), manifest).get() == null) {
                        throw new IllegalStateException("read back nothing");
                    }
                    reading += System.nanoTime() - read;
                }
            }
            long writing = System.nanoTime() - start - reading;
            System.out.printf(Locale.ROOT, "  %s: write %.3f µs, read %.3f µs, %d B (event and manifest)%n", name,
                    writing / 1e3 / EVENTS, reading / 1e3 / (EVENTS / 8), bytes / EVENTS);
            return (double) writing / EVENTS; // ns per write, so that Bench.rounds' "runs:" line shows it
        }
    }

    public static void main(String[] args) throws Exception {
        java.util.List<String> options = java.util.List.of(args);
        int rounds = options.stream().filter(a -> a.startsWith("rounds=")).map(a -> Integer.parseInt(a.substring(7)))
                .findFirst().orElse(5);
        int warmups = options.stream().filter(a -> a.startsWith("warmup=")).map(a -> Integer.parseInt(a.substring(7)))
                .findFirst().orElse(2);
        System.out.println(Bench.machine());
        Config config = ConfigFactory.parseString(
                "pekko.actor.serialization-bindings { \"dev.finitomata.benchmarks.Baseline$Moved\" = jackson-cbor }")
                .withFallback(ConfigFactory.load());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "serialization", config);
        try {
            Serialization serialization = SerializationExtension.get(Adapter.toClassic(system));
            Serializer jackson = serialization.serializerFor(FsmSerializable.class);
            double[][] writes = Bench.rounds(warmups, rounds,
                    new Form("compact (TransitionSerializer)", serialization, null, false),
                    new Form("jackson-cbor (the form before)", serialization, jackson, false),
                    new Form("hand-written's event (jackson-cbor)", serialization, null, true));
            System.out.printf(Locale.ROOT, "median ns per write: compact %.0f, jackson-cbor %.0f, hand-written %.0f%n",
                    Bench.median(writes[0]), Bench.median(writes[1]), Bench.median(writes[2]));
        } finally {
            system.terminate();
        }
    }
}
