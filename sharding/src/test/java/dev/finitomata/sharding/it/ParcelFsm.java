package dev.finitomata.sharding.it;

import dev.finitomata.FsmBehavior;
import dev.finitomata.FsmContext;
import dev.finitomata.Retry;
import dev.finitomata.Transition;
import dev.finitomata.definition.FsmDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The retrying FSM of the multi-process flows test: a paid parcel ships by itself (the hard event {@code ship!}). The
 * carrier refuses every first attempt, so each parcel waits {@link #BACKOFF} for its second, which ships it (payload:
 * the number of the attempt that did). Each attempt is appended, as {@code <parcel> <attempt>}, to a file of this JVM
 * in the folder named by the system property {@value #ATTEMPTS}: the test reads every node's file, so it sees each
 * attempt made anywhere, those of a node killed since included.
 */
public final class ParcelFsm extends FsmBehavior<Integer> {

    /** The system property naming the folder of the attempt files. */
    public static final String ATTEMPTS = "finitomata.it.attempts";
    /** How long a parcel waits for its second attempt. */
    public static final Duration BACKOFF = Duration.ofSeconds(10);

    /** The diagram of the in-JVM tests' shipments: {@code paid --> shipped : ship!}, falling back to {@code lost}. */
    static final FsmDefinition DEFINITION = dev.finitomata.ShipmentFsm.DEFINITION;

    public ParcelFsm(FsmContext context) {
        super(context);
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected Optional<Retry> retry(String state) {
        return state.equals("paid") ? Optional.of(Retry.attempts(3).backoff(BACKOFF, BACKOFF).jitter(0).thenMoveTo("lost"))
                : Optional.empty();
    }

    @Override
    protected Transition<Integer> onTransition(String state, String event, Object arg, Integer shippedBy)
            throws IOException {
        if (!event.equals("ship!")) {
            return Transition.to(targetOf(state, event), shippedBy);
        }
        Retry.Attempt attempt = (Retry.Attempt) arg;
        record(name() + " " + attempt.number());
        if (attempt.number() == 1) {
            throw new IOException("the carrier is down");
        }
        return Transition.to("shipped", attempt.number());
    }

    private static synchronized void record(String line) {
        try {
            Path file = Path.of(System.getProperty(ATTEMPTS)).resolve(ProcessHandle.current().pid() + ".attempts");
            Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The attempts recorded in {@code folder} by every JVM, per parcel, in the order each JVM made them. */
    public static Map<String, List<Integer>> attempts(Path folder) throws IOException {
        Map<String, List<Integer>> attempts = new HashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".attempts")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    String[] parts = line.split(" ");
                    attempts.computeIfAbsent(parts[0], p -> new java.util.ArrayList<>())
                            .add(Integer.parseInt(parts[1]));
                }
            }
        }
        attempts.values().forEach(list -> list.sort(Integer::compare));
        return attempts;
    }
}
