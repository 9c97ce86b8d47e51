package dev.finitomata.sharding.it;

import dev.finitomata.sharding.Infinitomata;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Steady load for the multi-process tests: an awaited {@code work} transition to a random FSM of {@code names} every
 * 5 ms, without waiting for the answer; each acknowledgement raises that FSM's entry in {@code acknowledged} (the
 * highest work count it confirmed), so that a test can check afterwards that none was lost.
 */
final class WorkLoad implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sent = new AtomicInteger();
    private final Thread thread;

    WorkLoad(Infinitomata<LoadFsm.Load> fsms, List<String> names, Map<String, Integer> acknowledged) {
        thread = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                String n = names.get(ThreadLocalRandom.current().nextInt(names.size()));
                sent.incrementAndGet();
                fsms.transitionAndWait(n, "work", null).thenAccept(s -> acknowledged.merge(n, s.payload().works(),
                        Math::max));
                ClusterProbes.sleep(5);
            }
        });
    }

    /** How many transitions it sent so far. */
    int sent() {
        return sent.get();
    }

    /** Stops sending; answers once it has. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
