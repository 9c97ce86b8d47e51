package dev.finitomata.persistence.file;

import dev.finitomata.ApplicationFsm;
import dev.finitomata.Finitomata;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Child process of {@link OwnDelayCrashTest}: starts {@code count} {@link ApplicationFsm}s on the file journal in
 * {@code dir}, sends each a {@code review} that schedules its own {@code expire} after {@code delayMillis}, prints
 * {@code ack <name>} once each is acknowledged, and runs until it is killed.
 */
public final class OwnDelayWriter {

    private OwnDelayWriter() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Duration delay = Duration.ofMillis(Long.parseLong(args[2]));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "own-delays",
                FileConfigs.config(dir).withFallback(com.typesafe.config.ConfigFactory.load()));
        Finitomata<Integer> applications = Finitomata.create(system, "applications", ApplicationFsm.class,
                ApplicationFsm::new);
        for (int i = 0; i < count; i++) {
            String name = "application-" + i;
            applications.start(name, 0).toCompletableFuture().join();
            applications.transitionAndWait(name, "review", delay).toCompletableFuture().join();
            System.out.println("ack " + name);
            System.out.flush();
        }
    }
}
