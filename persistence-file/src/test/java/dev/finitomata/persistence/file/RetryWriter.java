package dev.finitomata.persistence.file;

import dev.finitomata.Finitomata;
import dev.finitomata.ShipmentFsm;
import java.nio.file.Path;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Child process of {@link OwnDelayCrashTest}: starts {@code count} {@link ShipmentFsm} orders named {@code slow-<i>}
 * on the file journal in {@code dir}, whose first attempt to ship fails; prints {@code ack <name>} once the order's
 * retry (due 5 s after the failure) is pending, and runs until it is killed.
 */
public final class RetryWriter {

    private RetryWriter() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "retries",
                FileConfigs.config(dir).withFallback(com.typesafe.config.ConfigFactory.load()));
        Finitomata<Integer> orders = Finitomata.create(system, "shipments", ShipmentFsm.class, ShipmentFsm::new);
        for (int i = 0; i < count; i++) {
            String name = "slow-" + i;
            ShipmentFsm.failNext(name, 1);
            orders.start(name, 0).toCompletableFuture().join();
            orders.transitionAndWait(name, "pay", null).toCompletableFuture().join();
            while (orders.details(name).toCompletableFuture().join().orElseThrow().delays().isEmpty()) {
                Thread.sleep(5); // the hard event runs after the answer to 'pay'
            }
            System.out.println("ack " + name);
            System.out.flush();
        }
    }
}
