package dev.finitomata.persistence.file;

import dev.finitomata.Finitomata;
import dev.finitomata.forks.ApplicantFsm;
import dev.finitomata.forks.DocumentFsm;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Child process of {@link OwnDelayCrashTest}: on the file journal in {@code dir}, submits {@code count}
 * {@link ApplicantFsm}s named {@code applicant-<i>}, each forking three {@link DocumentFsm}s; prints
 * {@code ack <name>} once the applicant's three documents run, and runs until it is killed.
 */
public final class ForkWriter {

    private ForkWriter() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "forks",
                FileConfigs.config(dir).withFallback(com.typesafe.config.ConfigFactory.load()));
        Finitomata<String> documents = Finitomata.create(system, "documents", DocumentFsm.class, DocumentFsm::new);
        Finitomata<ApplicantFsm.Docs> applicants = Finitomata.create(system, "applicants", ApplicantFsm.class,
                ApplicantFsm::new);
        for (int i = 0; i < count; i++) {
            String name = "applicant-" + i;
            applicants.start(name, new ApplicantFsm.Docs(List.of())).toCompletableFuture().join();
            applicants.transitionAndWait(name, "submit", null).toCompletableFuture().join();
            for (String kind : ApplicantFsm.KINDS) {
                while (documents.state(name + "-" + kind).toCompletableFuture().join().isEmpty()) {
                    Thread.sleep(5);
                }
            }
            System.out.println("ack " + name);
            System.out.flush();
        }
    }
}
