package dev.finitomata;

import dev.finitomata.definition.FsmDefinition;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * "A paid order is shipped; the carrier may be down for a while": {@code paid} ships by itself (the hard event
 * {@code ship!}), retried 4 times in all with a backoff of 1 s doubling up to 10 s and no jitter. When the attempts
 * run out, an order moves to {@code lost}; one whose name starts with {@code stay-} stays in {@code paid}; one whose
 * name starts with {@code slow-} waits 5 s before its second attempt. The carrier
 * fails the next {@link #failNext} attempts of an order; every attempt and every {@code onFailure} is recorded, per
 * order, JVM-wide.
 */
public final class ShipmentFsm extends FsmBehavior<Integer> {

    public static final FsmDefinition DEFINITION = FsmDefinition.parse("""
            [*] --> ordered
            ordered --> paid : pay
            paid --> shipped : ship!
            paid --> lost : ship!
            shipped --> [*]
            lost --> [*]
            """);
    private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();
    private static final Map<String, List<Retry.Attempt>> ATTEMPTS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> ON_FAILURE = new ConcurrentHashMap<>();

    public ShipmentFsm(FsmContext context) {
        super(context);
    }

    /** The carrier fails the next {@code n} attempts to ship {@code order}. */
    public static void failNext(String order, int n) {
        FAILURES.computeIfAbsent(order, o -> new AtomicInteger()).set(n);
    }

    /** The attempts to ship {@code order}, as {@code onTransition} saw them. */
    public static List<Retry.Attempt> attempts(String order) {
        return List.copyOf(ATTEMPTS.getOrDefault(order, List.of()));
    }

    /** How often {@code onFailure} ran for {@code order}. */
    public static int failures(String order) {
        return ON_FAILURE.getOrDefault(order, new AtomicInteger()).get();
    }

    @Override
    protected FsmDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected Optional<Retry> retry(String state) {
        if (!state.equals("paid")) {
            return Optional.empty();
        }
        Duration backoff = Duration.ofSeconds(name().startsWith("slow-") ? 5 : 1);
        Retry retry = Retry.attempts(4).backoff(backoff, Duration.ofSeconds(10)).jitter(0);
        return Optional.of(name().startsWith("stay-") ? retry : retry.thenMoveTo("lost"));
    }

    @Override
    protected Transition<Integer> onTransition(String state, String event, Object arg, Integer calls)
            throws IOException {
        if (!event.equals("ship!")) {
            return Transition.to(targetOf(state, event), calls);
        }
        ATTEMPTS.computeIfAbsent(name(), n -> new CopyOnWriteArrayList<>()).add((Retry.Attempt) arg);
        AtomicInteger failures = FAILURES.computeIfAbsent(name(), n -> new AtomicInteger());
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("the carrier is down");
        }
        return Transition.to("shipped", calls + 1);
    }

    @Override
    protected void onFailure(String event, Object eventPayload, FsmState<Integer> fsm) {
        ON_FAILURE.computeIfAbsent(name(), n -> new AtomicInteger()).incrementAndGet();
    }
}
