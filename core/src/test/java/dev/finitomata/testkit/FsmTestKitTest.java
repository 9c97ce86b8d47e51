package dev.finitomata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import dev.finitomata.FsmError;
import dev.finitomata.Lifecycle;
import dev.finitomata.RecordingFsm;
import dev.finitomata.StartResult;
import dev.finitomata.definition.FsmPath;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class FsmTestKitTest {

    static final ActorTestKit TEST_KIT = ActorTestKit.create("testkit", ConfigFactory.parseString("""
            pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
            pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
            pekko.persistence.snapshot-store.local.dir = "target/testkit-snapshots"
            pekko.loglevel = WARNING
            """).withFallback(ConfigFactory.load()));

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    private final FsmTestKit<Counter> kit = FsmTestKit.create(TEST_KIT, RecordingFsm.class, RecordingFsm::new);

    @Test
    void assertsTransitionsAndRefusals() {
        FsmUnderTest<Counter> fsm = kit.start("one", new Counter(0));
        assertEquals("idle", fsm.state().current());
        fsm.assertTransition("start", null, "working");
        fsm.assertTransition("work", null, "working", new Counter(1));
        fsm.assertTransition("work", null, "working", c -> c.value() == 2);
        FsmError refused = fsm.assertRefused("resume", null);
        assertEquals(FsmError.Stage.ACCEPT, refused.stage());
        AssertionError wrong = assertThrows(AssertionError.class, () -> fsm.assertTransition("work", null, "paused"));
        assertTrue(wrong.getMessage().contains("is in 'working', expected 'paused'"), wrong.getMessage());
        AssertionError notRefused = assertThrows(AssertionError.class, () -> fsm.assertRefused("work", null));
        assertTrue(notRefused.getMessage().contains("expected 'work' to be refused"), notRefused.getMessage());
    }

    @Test
    void walksEveryPathFromEntryToFinal() {
        List<FsmPath> paths = FsmTestKit.paths(RecordingFsm.DEFINITION);
        assertTrue(paths.size() >= 3, paths.toString());
        int i = 0;
        for (FsmPath path : paths) {
            FsmUnderTest<Counter> fsm = kit.start("path-" + i++, new Counter(0));
            String last = path.states().get(path.states().size() - 1);
            assertEquals(last, fsm.walk(path).current(), path.toString());
        }
    }

    @Test
    void startInPlacesAFreshFsmInAStateWithoutEnteringIt() throws Exception {
        FsmUnderTest<Counter> fsm = kit.startIn("placed", "paused", new Counter(7));
        assertEquals("paused", fsm.state().current());
        assertEquals(new Counter(7), fsm.state().payload());
        assertEquals(Lifecycle.PLACED, fsm.state().lifecycle());
        assertEquals(List.of(), RecordingFsm.log("placed"), "no onStart, no onTransition, no onEnter");
        fsm.assertTransition("resume", null, "working");
        assertEquals(Lifecycle.PLACED, fsm.state().lifecycle());

        // persisted in that state: stopped and started again, it is loaded where it was
        kit.supervisor().stop("placed").toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(StartResult.LOADED, kit.supervisor().start("placed", new Counter(0)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS));
        assertEquals("working", fsm.state().current());
        assertEquals(new Counter(7), fsm.state().payload());
        assertEquals(Lifecycle.LOADED, fsm.state().lifecycle());
    }

    @Test
    void startInAStateWithAHardEventFiresIt() {
        FsmUnderTest<Counter> fsm = kit.startIn("hard", "checking", new Counter(0));
        assertEquals("done", fsm.state().current()); // done! then finish!, settled before startIn returns
        assertEquals(List.of("onExit:checking", "onTransition:checking:done!", "onEnter:finishing",
                "onExit:finishing", "onTransition:finishing:finish!", "onEnter:done"), RecordingFsm.log("hard"));
    }

    @Test
    void startInRefusesStatesTheDefinitionLacksAndNamesThatAreTaken() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> kit.startIn("nowhere", "sleeping", new Counter(0)));
        assertTrue(unknown.getMessage().contains("'sleeping'") && unknown.getMessage().contains("idle"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> kit.startIn("nowhere", "*", new Counter(0)));
        assertEquals(Boolean.FALSE, kit.supervisor().alive("nowhere").toCompletableFuture().join());

        kit.start("taken", new Counter(0));
        AssertionError taken = assertThrows(AssertionError.class, () -> kit.startIn("taken", "paused", new Counter(0)));
        assertTrue(taken.getMessage().contains("ALREADY_STARTED"), taken.getMessage());
        assertEquals("idle", kit.attach("taken").state().current());
    }
}
