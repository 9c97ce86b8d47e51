package dev.finitomata.persistence.file;

import dev.finitomata.internal.protocol.Command;
import dev.finitomata.persistence.tck.ListBehavior;
import java.nio.file.Path;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Child process of {@link CrashTest}: {@code writers} event-sourced actors each persist 0, 1, 2, ... on the file
 * journal in {@code dir}, one at a time, printing {@code ack <writer> <value>} once each write is acknowledged.
 * Runs until it is killed.
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int writers = Integer.parseInt(args[1]);
        ActorSystem.create(Behaviors.setup(ctx -> {
            for (int w = 0; w < writers; w++) {
                ActorRef<ListBehavior.Command> list = ctx.spawn(ListBehavior.create("crash-" + w, 0), "list-" + w);
                ctx.spawn(driver(w, list), "driver-" + w);
            }
            return Behaviors.empty();
        }), "crash-writer", FileConfigs.config(dir).withFallback(com.typesafe.config.ConfigFactory.load()));
    }

    private static Behavior<Done> driver(int writer, ActorRef<ListBehavior.Command> list) {
        return Behaviors.setup(ctx -> {
            int[] next = {0};
            list.tell(new ListBehavior.Append(next[0], ctx.getSelf()));
            return Behaviors.receiveMessage(done -> {
                System.out.println("ack " + writer + " " + next[0]);
                System.out.flush();
                next[0]++;
                list.tell(new ListBehavior.Append(next[0], ctx.getSelf()));
                return Behaviors.same();
            });
        });
    }
}
