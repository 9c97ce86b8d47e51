package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finitomata.Finitomata;
import dev.finitomata.StartResult;
import dev.finitomata.testkit.FsmStore;
import dev.finitomata.testkit.FsmTestKit;
import dev.finitomata.testkit.FsmTestKitExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The docs' {@link Onboarding}, on the file journal and virtual time, through a restart of its ActorSystem. */
class OnboardingTest {

    @RegisterExtension
    final FsmTestKitExtension fsms = FsmTestKitExtension.create().store(FsmStore.FILE).virtualTime();

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    /** A signed document ends by itself, just after the answer to {@code sign}. */
    private static void ended(Finitomata<String> documents, String name) {
        while (join(documents.state(name)).isPresent()) {
            Thread.onSpinWait();
        }
    }

    @Test
    void anOnboardingCollectsItsSignedDocumentsAlsoAcrossARestart() {
        Finitomata<String> documents = Finitomata.create(fsms.testKit().system(), "documents",
                Onboarding.Document.class, Onboarding.Document::new);
        FsmTestKit<Onboarding.Signed> kit = fsms.kit(Onboarding.class, Onboarding::new);
        kit.start("eve", new Onboarding.Signed(List.of()));
        join(kit.supervisor().transitionAndWait("eve", "submit", null));
        kit.settle();
        join(documents.transitionAndWait("eve-contract", "sign", null));
        ended(documents, "eve-contract");
        kit.advance(Duration.ofSeconds(1)); // the onboarding checks on its documents every second
        assertEquals(List.of("signed contract"), join(kit.supervisor().state("eve")).orElseThrow().payload()
                .documents());

        fsms.restart(); // a new ActorSystem on the same journal: nothing runs until started
        Finitomata<String> documentsAgain = Finitomata.create(fsms.testKit().system(), "documents",
                Onboarding.Document.class, Onboarding.Document::new);
        FsmTestKit<Onboarding.Signed> again = fsms.kit(Onboarding.class, Onboarding::new);
        assertEquals(StartResult.LOADED, join(again.supervisor().start("eve", new Onboarding.Signed(List.of()))));
        again.settle(); // it started its pending document again
        join(documentsAgain.transitionAndWait("eve-privacy-notice", "sign", null));
        ended(documentsAgain, "eve-privacy-notice");
        again.advance(Duration.ofSeconds(1));
        assertEquals("onboarded", join(again.supervisor().state("eve")).orElseThrow().current());
        assertEquals(List.of("signed contract", "signed privacy-notice"), join(again.supervisor().state("eve"))
                .orElseThrow().payload().documents());
    }
}
