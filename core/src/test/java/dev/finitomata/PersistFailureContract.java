package dev.finitomata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.internal.runtime.PersistenceIds;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a journal failure or rejection does, on Pekko's persistence test kit journal (which fails or rejects the next
 * write of one persistence id on request): the call in flight fails at once with stage {@code PERSIST}, the FSM
 * restarts from its journal with backoff, nothing acknowledged is lost, and calls queued behind the failed write are
 * served after the restart.
 */
public abstract class PersistFailureContract extends FsmRuntimeContract {

    private PersistenceTestKit journal;

    @Override
    protected Config persistenceConfig() {
        return PersistenceTestKitPlugin.config().withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.parseString("pekko.persistence.testkit.events.serialize = on"));
    }

    @BeforeAll
    void journal() {
        journal = PersistenceTestKit.create(host.systems().get(0));
    }

    private String pid(String name) {
        return PersistenceIds.of(fsms.id(), RecordingFsm.class, name);
    }

    private String working(String suffix) {
        String name = name(suffix);
        await(fsms.start(name, new Counter(0)));
        await(fsms.transitionAndWait(name, "start", null));
        return name;
    }

    private FsmState<Counter> stateOf(String name) {
        return await(fsms.state(name)).orElseThrow();
    }

    @Test
    void aJournalFailureFailsTheCallAtOnceAndTheFsmRestartsWithNothingLost() {
        String name = working("failure");
        assertEquals(new Counter(1), await(fsms.transitionAndWait(name, "work", null)).payload());
        journal.failNextPersisted(pid(name));
        FsmTransitionException e = failsAtOnceWith(FsmTransitionException.class,
                fsms.transitionAndWait(name, "work", null));
        assertEquals(FsmError.Stage.PERSIST, e.error().stage());
        assertTrue(e.error().reason().contains("the journal failed to write"), e.error().reason());
        FsmState<Counter> after = stateOf(name);
        assertEquals("working", after.current());
        assertEquals(new Counter(1), after.payload(), "the failed write was not applied, the acknowledged one was");
        assertEquals(FsmError.Stage.PERSIST, after.lastError().orElseThrow().stage());
        assertTrue(RecordingFsm.log(name).contains("onFailure:work"));
        assertEquals(new Counter(2), await(fsms.transitionAndWait(name, "work", null)).payload());
    }

    @Test
    void aRejectedWriteFailsTheCallAtOnceAndTheFsmGoesOn() {
        String name = working("rejection");
        journal.rejectNextPersisted(pid(name));
        FsmTransitionException e = failsAtOnceWith(FsmTransitionException.class,
                fsms.transitionAndWait(name, "work", null));
        assertEquals(FsmError.Stage.PERSIST, e.error().stage());
        assertTrue(e.error().reason().contains("the journal rejected the write"), e.error().reason());
        assertEquals(new Counter(0), stateOf(name).payload());
        assertEquals(new Counter(1), await(fsms.transitionAndWait(name, "work", null)).payload());
        assertTrue(await(fsms.alive(name)));
    }

    @Test
    void callsQueuedBehindAFailedWriteAreServedAfterTheRestart() {
        for (boolean reject : List.of(false, true)) {
            String name = working("queued-" + reject);
            if (reject) {
                journal.rejectNextPersisted(pid(name));
            } else {
                journal.failNextPersisted(pid(name));
            }
            CompletionStage<FsmState<Counter>> first = fsms.transitionAndWait(name, "work", null);
            CompletionStage<FsmState<Counter>> second = fsms.transitionAndWait(name, "work", null);
            CompletionStage<FsmState<Counter>> third = fsms.transitionAndWait(name, "work", null);
            assertEquals(FsmError.Stage.PERSIST, failsWith(FsmTransitionException.class, first).error().stage());
            assertEquals(new Counter(1), await(second).payload(), "rejected: " + reject);
            assertEquals(new Counter(2), await(third).payload(), "rejected: " + reject);
        }
    }

    @Test
    void aStartWhoseWriteFailsFailsAtOnceAndLeavesNothingRunning() {
        String name = name("start-failure");
        journal.failNextPersisted(pid(name));
        FsmTransitionException e = failsAtOnceWith(FsmTransitionException.class, fsms.start(name,
                new Counter(0)));
        assertEquals(FsmError.Stage.PERSIST, e.error().stage());
        assertFalse(atOnce(fsms.alive(name)));
        assertEquals(StartResult.STARTED, await(fsms.start(name, new Counter(3))));
        assertEquals(new Counter(3), stateOf(name).payload());
    }

    @Test
    void aStopWhoseWriteFailsLeavesTheFsmRunning() {
        String name = working("stop-failure");
        journal.failNextPersisted(pid(name));
        if (!host.persistsStops()) {
            // one node: a stop writes nothing, so the journal's failure waits for the next write
            await(fsms.stop(name));
            assertFalse(atOnce(fsms.alive(name)));
            assertEquals(StartResult.LOADED, await(fsms.start(name, new Counter(0))));
            assertEquals(FsmError.Stage.PERSIST, failsAtOnceWith(FsmTransitionException.class,
                    fsms.transitionAndWait(name, "work", null)).error().stage());
            assertEquals(new Counter(1), await(fsms.transitionAndWait(name, "work", null)).payload());
            return;
        }
        FsmTransitionException e = failsAtOnceWith(FsmTransitionException.class, fsms.stop(name));
        assertEquals(FsmError.Stage.PERSIST, e.error().stage());
        assertTrue(await(fsms.alive(name)));
        assertEquals(new Counter(1), await(fsms.transitionAndWait(name, "work", null)).payload());
        await(fsms.stop(name));
        assertFalse(atOnce(fsms.alive(name)));
    }
}
