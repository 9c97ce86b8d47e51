package dev.finitomata.persistence.ets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.typesafe.config.Config;
import dev.finitomata.Counter;
import dev.finitomata.FsmRuntimeContract;
import dev.finitomata.FsmState;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.RecordingFsm;
import dev.finitomata.StartResult;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The runtime contract on the ETS store with {@code serialize = on}, so every event, snapshot and payload is proven
 * to round-trip through Pekko's Jackson serialization; plus the FSM-level table API.
 */
class EtsRuntimeTest extends FsmRuntimeContract {

    private static final String TABLE = "runtime-test";

    @Override
    protected Config persistenceConfig() {
        return EtsJournalTest.etsConfig(TABLE, true);
    }

    @Test
    void tableShowsAndPurgesAnFsm() {
        String name = name("table");
        assertEquals(StartResult.STARTED, await(fsms.start(name, new Counter(3))));
        for (int i = 0; i < 6; i++) {
            await(fsms.transitionAndWait(name, i == 0 ? "start" : "work", null));
        }
        EtsTable table = Ets.table(TABLE);
        FsmState<Counter> stored = table.get(fsms.id(), RecordingFsm.class, name).orElseThrow();
        assertEquals("working", stored.current());
        assertEquals(new Counter(8), stored.payload());
        assertEquals(await(fsms.state(name)).orElseThrow().history(), stored.history().subList(0, 3));
        assertEquals(Optional.empty(), table.lastError(fsms.id(), RecordingFsm.class, name));
        failsWith(dev.finitomata.FsmTransitionException.class, fsms.transitionAndWait(name, "resume", null));
        // recorded by the journal from the FsmFailed event: a message behind the failure
        eventually(() -> table.lastError(fsms.id(), RecordingFsm.class, name).map(e -> e.event().equals("resume"))
                .orElse(false), "the failure is recorded");
        await(fsms.transitionAndWait(name, "work", null));
        eventually(() -> table.lastError(fsms.id(), RecordingFsm.class, name).isEmpty(), "cleared by a success");
        failsWith(dev.finitomata.FsmTransitionException.class, fsms.transitionAndWait(name, "resume", null));
        eventually(() -> table.lastError(fsms.id(), RecordingFsm.class, name).isPresent(), "recorded again");
        assertTrue(Ets.table("another-table").lastError(fsms.id(), RecordingFsm.class, name).isEmpty(),
                "only the FSM's own table records it");
        await(fsms.stop(name));
        table.purge(fsms.id(), RecordingFsm.class, name);
        assertEquals(Optional.empty(), table.lastError(fsms.id(), RecordingFsm.class, name), "cleared by purge");
        assertEquals(Optional.empty(), table.get(fsms.id(), RecordingFsm.class, name));
        assertTrue(table.persistenceIds().stream().noneMatch(id -> id.endsWith("|" + name)));
        assertEquals(StartResult.STARTED, await(fsms.start(name, new Counter(0))));
    }
}
