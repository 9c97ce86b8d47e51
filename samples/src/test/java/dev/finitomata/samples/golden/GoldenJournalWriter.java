package dev.finitomata.samples.golden;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Finitomata;
import dev.finitomata.FsmError;
import dev.finitomata.FsmState;
import dev.finitomata.Lifecycle;
import dev.finitomata.StartResult;
import dev.finitomata.internal.protocol.Command;
import dev.finitomata.internal.protocol.Data;
import dev.finitomata.internal.protocol.Event;
import dev.finitomata.internal.protocol.Replies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;

/**
 * Writes the golden journal once, with the code of {@code main} at 4ef5fa3 (before the engine moved under
 * {@code internal}): a file journal and snapshot store in {@code <dir>/store}, and {@code <dir>/messages.txt}, every
 * persisted event, the persisted state and the replies, serialized by Pekko (one line each: serializer id, manifest,
 * Base64 bytes, and the object's {@code toString()}). {@link GoldenJournalTest} reads them with today's code. Kept so
 * that the fixture's origin can be read; run with the test class path and the target directory as argument.
 */
public final class GoldenJournalWriter {

    static final String ID = "golden";

    private GoldenJournalWriter() {
    }

    static Config config(Path store) {
        return ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.persistence.journal.plugin = "finitomata.persistence.file.journal"
                pekko.persistence.snapshot-store.plugin = "finitomata.persistence.file.snapshot-store"
                finitomata.persistence.file.journal.dir = "%s"
                finitomata.persistence.file.snapshot-store.dir = "%s"
                finitomata.snapshot-every = 3
                """.formatted(store.resolve("journal"), store.resolve("snapshots"))).withFallback(ConfigFactory.load());
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "golden", config(dir.resolve("store")));
        try {
            Finitomata<GoldenFsm.Tally> fsms = Finitomata.create(system, ID, GoldenFsm.class, GoldenFsm::new);
            GoldenFsm.Tally zero = new GoldenFsm.Tally(0, "n");
            // g-1: four adds, a snapshot at every third event
            await(fsms.start("g-1", zero));
            for (int i = 0; i < 4; i++) {
                await(fsms.transitionAndWait("g-1", "add", "a" + i));
            }
            // g-2: a delayed transition that fired, then the timer's payload update
            await(fsms.start("g-2", zero));
            await(fsms.transitionAndWait("g-2", "add", null));
            fsms.transition("g-2", "wait", "later", Duration.ofMillis(20));
            waitFor(() -> await(fsms.state("g-2")).map(s -> s.payload().count() >= 1000).orElse(false));
            // g-3: a delayed transition still pending when the system stops (overdue when it is read)
            await(fsms.start("g-3", zero));
            await(fsms.transitionAndWait("g-3", "wait", null));
            fsms.transition("g-3", "close", "due", Duration.ofSeconds(3));
            // g-4: finished
            await(fsms.start("g-4", zero));
            await(fsms.transitionAndWait("g-4", "wait", null));
            await(fsms.transitionAndWait("g-4", "close", null));
            await(fsms.transitionAndWait("g-4", "finish", null));
            // g-5: deleted
            await(fsms.start("g-5", zero));
            await(fsms.delete("g-5"));
            waitFor(() -> await(fsms.state("g-3")).map(s -> s.payload().count() >= 1000).orElse(false));
            Files.writeString(dir.resolve("messages.txt"), String.join("\n", messages(system)) + "\n",
                    StandardCharsets.UTF_8);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Every persisted event type, the persisted state, and the replies that cross the cluster. */
    static List<Object> samples() {
        GoldenFsm.Tally tally = new GoldenFsm.Tally(7, "x");
        Event.DelayScheduled delay = new Event.DelayScheduled("0000000000000000012", "close", tally,
                1767225600000L);
        FsmError error = new FsmError(FsmError.Stage.TRANSITION, "open", "close", tally, "no");
        FsmState<GoldenFsm.Tally> state = new FsmState<>("g-1", "open", tally, List.of("open"), java.util.Optional
                .of(error), Lifecycle.LOADED);
        return List.of(
                new Event.Transitioned("*", "create", "open", tally, null, null), // as 4ef5fa3 wrote them (no "at")
                new Event.Transitioned("open", "add", "open", tally, 2, null),
                new Event.Migrated(1, 2, "open", "waiting", tally),
                new Event.PayloadUpdated(tally),
                delay,
                new Event.DelayDone("0000000000000000012"),
                new Event.Stopped(),
                new Event.Resumed(),
                new Event.Erased(),
                new Data("open", tally, List.of("open", "closed"), Map.of(delay.id(), delay), true, 2),
                new Replies.StartReply(StartResult.LOADED, null),
                new Replies.StartReply(null, error),
                new Replies.Committed(state),
                new Replies.Failed(error),
                new Replies.NotRunning("g-1", "close"),
                new Replies.StateReply(state),
                new Replies.AliveReply(true),
                new Replies.Deleted(null),
                new Replies.Settled(),
                new Command.FireHard("close"),
                new Command.DelayDue("0000000000000000012"),
                new Command.Tick(3));
    }

    private static List<String> messages(ActorSystem<?> system) {
        Serialization serialization = SerializationExtension.get(system);
        List<String> lines = new ArrayList<>();
        for (Object sample : samples()) {
            var serializer = serialization.findSerializerFor(sample);
            lines.add(serializer.identifier() + "\t" + Serializers.manifestFor(serializer, sample) + "\t"
                    + Base64.getEncoder().encodeToString(serializer.toBinary(sample)) + "\t" + sample);
        }
        return lines;
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(10);
        }
    }
}
