package dev.finitomata.forks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.Finitomata;
import dev.finitomata.Fork;
import dev.finitomata.FsmError;
import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.FsmListener;
import dev.finitomata.FsmState;
import dev.finitomata.StartResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sub-FSM flows (issue 25, point 3) on {@link Finitomata}, on a journal that serialises every event: a state forks
 * child FSMs, each child's end becomes the parent's event with the child's result, exactly once, also when the
 * children end while the parent is stopped; leaving the state forgets the forks; a child whose start is refused
 * reaches the parent's listeners; the parent's history records each fork.
 */
class ForksTest {

    private ActorTestKit testKit;
    private Finitomata<ApplicantFsm.Docs> applicants;
    private Finitomata<String> documents;
    private final List<String> forkFailures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        testKit = ActorTestKit.create("forks", PersistenceTestKitPlugin.config()
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.parseString("""
                        pekko.persistence.testkit.events.serialize = on
                        pekko.loglevel = ERROR
                        finitomata.fork-check-interval = 100ms
                        """))
                .withFallback(ConfigFactory.load()));
        documents = Finitomata.create(testKit.system(), "documents", DocumentFsm.class, DocumentFsm::new);
        applicants = Finitomata.create(testKit.system(), "applicants", ApplicantFsm.class, ApplicantFsm::new);
        applicants.addListener(new FsmListener<>() {
            @Override
            public void afterTransition(String name, String state, ApplicantFsm.Docs payload) {
            }

            @Override
            public void afterForkFailure(String name, Fork fork, FsmError error) {
                forkFailures.add(name + " " + (fork == null ? null : fork.name()) + " " + error.reason());
            }
        });
    }

    @AfterEach
    void stop() {
        testKit.shutdownTestKit();
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void eventually(Supplier<Boolean> check, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!check.get()) {
            assertTrue(System.nanoTime() < deadline, "not within 15 s: " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private Optional<FsmState<ApplicantFsm.Docs>> applicant(String name) {
        return await(applicants.state(name));
    }

    private void submitted(String name) {
        await(applicants.start(name, new ApplicantFsm.Docs(List.of())));
        await(applicants.transitionAndWait(name, "submit", null));
        for (String kind : ApplicantFsm.KINDS) {
            eventually(() -> await(documents.state(name + "-" + kind)).isPresent(), name + "-" + kind + " runs");
        }
    }

    private void receiveAll(String name) {
        for (String kind : ApplicantFsm.KINDS) {
            await(documents.transitionAndWait(name + "-" + kind, "receive", null));
        }
    }

    private List<String> moves(String name) {
        return await(applicants.history(name)).stream().map(e -> e.from() + ">" + e.event() + ">" + e.to())
                .toList();
    }

    @Test
    void aStateForksChildrenAndEachChildsEndIsTheParentsEventOnce() {
        submitted("ada");
        assertEquals("collecting", applicant("ada").orElseThrow().current());
        receiveAll("ada");
        eventually(() -> applicant("ada").orElseThrow().current().equals("complete"), "ada is complete");
        assertEquals(List.of("received diploma", "received passport", "received reference"),
                applicant("ada").orElseThrow().payload().received().stream().sorted().toList());
        List<String> moves = moves("ada");
        assertEquals(List.of("applied>submit>collecting", "collecting>__fork__:documents/ada-passport>collecting",
                "collecting>__fork__:documents/ada-diploma>collecting",
                "collecting>__fork__:documents/ada-reference>collecting"), moves.subList(1, 5));
        assertEquals(3, moves.stream().filter(m -> m.contains(">document_done>")).count(), moves.toString());
        // nothing more arrives later
        try {
            Thread.sleep(300); // three checks: a repeated delivery would show
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(3, applicant("ada").orElseThrow().payload().received().size());
        assertEquals(List.of(), forkFailures);
    }

    @Test
    void childrenThatEndWhileTheParentIsStoppedAreCollectedWhenItIsStartedAgain() {
        submitted("bob");
        await(applicants.stop("bob"));
        receiveAll("bob");
        for (String kind : ApplicantFsm.KINDS) {
            eventually(() -> await(documents.state("bob-" + kind)).isEmpty(), "bob-" + kind + " ended");
        }
        assertEquals(StartResult.LOADED, await(applicants.start("bob", new ApplicantFsm.Docs(List.of()))));
        eventually(() -> applicant("bob").orElseThrow().current().equals("complete"), "bob is complete");
        assertEquals(3, applicant("bob").orElseThrow().payload().received().size());
        assertEquals(3, moves("bob").stream().filter(m -> m.contains(">document_done>")).count());
    }

    @Test
    void leavingTheForkingStateForgetsItsForks() {
        submitted("cy");
        await(applicants.transitionAndWait("cy", "cancel", null));
        receiveAll("cy");
        for (String kind : ApplicantFsm.KINDS) {
            eventually(() -> await(documents.state("cy-" + kind)).isEmpty(), "cy-" + kind + " ended");
        }
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        FsmState<ApplicantFsm.Docs> cancelled = applicant("cy").orElseThrow();
        assertEquals("cancelled", cancelled.current());
        assertEquals(List.of(), cancelled.payload().received());
        assertEquals(Optional.empty(), cancelled.lastError(), "the children's ends were not sent to it");
    }

    @Test
    void aChildWhoseStartIsRefusedReachesTheParentsListeners() {
        submitted("bad-dan");
        eventually(() -> forkFailures.size() == 1, "the refused fork reaches the listener");
        assertTrue(forkFailures.get(0).startsWith("bad-dan bad-dan-forbidden the start of 'bad-dan-forbidden' "
                + "(supervisor 'documents') was refused"), forkFailures.toString());
        assertTrue(forkFailures.get(0).contains("no such document"), forkFailures.toString());
        FsmError error = applicant("bad-dan").orElseThrow().lastError().orElseThrow();
        assertEquals(FsmError.Stage.START, error.stage());
        receiveAll("bad-dan");
        eventually(() -> applicant("bad-dan").orElseThrow().current().equals("complete"),
                "the other three still complete it");
        List<FsmHistoryEntry<ApplicantFsm.Docs>> history = await(applicants.history("bad-dan"));
        assertEquals(4, history.stream().filter(e -> e.event().startsWith("__fork__:")).count());
    }
}
