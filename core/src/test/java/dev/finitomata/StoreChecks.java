package dev.finitomata;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/** What the tests of misconfigured stores share: the first call on a store that cannot work fails at once. */
public final class StoreChecks {

    private StoreChecks() {
    }

    /**
     * Creates a supervisor "orders" in {@code system} and starts an FSM; the start must fail within a second of the
     * creation, and each of {@code says} must be in its message.
     *
     * @return the failure
     */
    public static Throwable firstStartFailsAtOnce(ActorSystem<?> system, String... says) throws Exception {
        long started = System.nanoTime();
        Finitomata<Counter> orders = Finitomata.create(system, "orders", RecordingFsm.class, RecordingFsm::new);
        Throwable failure;
        try {
            orders.start("order-1", new Counter(0)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            throw new AssertionError("started on a store that cannot work");
        } catch (ExecutionException e) {
            failure = e.getCause();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 1_000, "failed after " + millis + " ms: " + failure);
        assertTrue(failure instanceof IllegalStateException, String.valueOf(failure));
        for (String s : says) {
            assertTrue(failure.getMessage().contains(s), "'" + s + "' in: " + failure.getMessage());
        }
        return failure;
    }
}
