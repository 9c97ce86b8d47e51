package dev.finitomata.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.finitomata.testkit.FsmStore;
import dev.finitomata.testkit.FsmTestKit;
import dev.finitomata.testkit.FsmTestKitExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The docs' {@link ApplicationReview}, on the file journal and virtual time. */
class ApplicationReviewTest {

    @RegisterExtension
    final FsmTestKitExtension fsms = FsmTestKitExtension.create().store(FsmStore.FILE).virtualTime();

    private static String state(FsmTestKit<String> kit, String name) {
        return kit.supervisor().state(name).toCompletableFuture().join().orElseThrow().current();
    }

    @Test
    void anApplicationLeftInReviewForThreeDaysIsRejectedOneApprovedInTimeIsNot() {
        FsmTestKit<String> kit = fsms.kit(ApplicationReview.class, ApplicationReview::new);
        kit.start("ada", "Ada");
        kit.start("bob", "Bob");
        kit.supervisor().transitionAndWait("ada", "review", null).toCompletableFuture().join();
        kit.supervisor().transitionAndWait("bob", "review", null).toCompletableFuture().join();
        assertThrows(IllegalArgumentException.class, () -> kit.supervisor().transition("bob", "expire", null));
        kit.advance(Duration.ofDays(1));
        kit.supervisor().transitionAndWait("bob", "approve", null).toCompletableFuture().join();
        kit.advance(Duration.ofDays(2));
        assertEquals("rejected", state(kit, "ada"));
        assertEquals("approved", state(kit, "bob"));
    }
}
