package dev.finitomata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The runtime contract on Pekko's inmem journal (events serialised) and the local snapshot store. */
class InmemRuntimeTest extends FsmRuntimeContract {

    @Override
    protected Config persistenceConfig() {
        return ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                pekko.persistence.journal.inmem.test-serialization = on
                pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
                pekko.persistence.snapshot-store.local.dir = "target/snapshots-%d"
                """.formatted(System.nanoTime()));
    }

    /**
     * The race behind a rare CI failure of {@code eventsSentRightAfterStartWaitForTheStart} on the file journal: a
     * start answered between a call sent behind it (through the supervisor) and the next call, which went straight to
     * the FSM and overtook the first. The local facade's routing; failed 2 runs of 2 before the fix (the name is busy
     * until the supervisor has routed what it holds).
     */
    @Test
    void aCallSentBehindAStartIsNeverOvertakenByTheNextCall() {
        for (int i = 0; i < 100; i++) {
            String name = name("behind-" + i);
            CompletionStage<StartResult> started = fsms.start(name, new Counter(0));
            fsms.transition(name, "start", null);
            while (!started.toCompletableFuture().isDone()) {
                Thread.onSpinWait(); // the next call is made right after the start is answered
            }
            assertEquals(new Counter(1), await(fsms.transitionAndWait(name, "work", null)).payload(), name);
        }
    }
}
