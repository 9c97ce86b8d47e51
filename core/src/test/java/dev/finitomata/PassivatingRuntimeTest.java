package dev.finitomata;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.internal.local.LocalFsms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime contract on a local {@link Finitomata} whose FSMs passivate after 50 ms without a call (and are woken
 * 100 ms before a delayed transition): every test runs again with FSMs going to sleep between its calls, so
 * passivation must be invisible to all of them.
 */
class PassivatingRuntimeTest extends InmemRuntimeTest {

    private long passivations;

    @AfterEach
    void countPassivations() {
        passivations += LocalFsms.of(fsms).passivations();
    }

    /** See {@link FsmRuntimeContract#censusWhilePassivating}. */
    @org.junit.jupiter.api.Test
    void aCensusCountsEveryFsmWhileItsActorsPassivateAndAreWoken() {
        censusWhilePassivating(LocalFsms.of(fsms)::passivations);
    }

    /** The contract above ran with FSMs passivating under it, not beside it. */
    @AfterAll
    void fsmsPassivatedDuringTheContract() {
        assertTrue(passivations >= 20, "FSMs passivated " + passivations + " times during the contract");
    }

    @Override
    protected Config persistenceConfig() {
        return ConfigFactory.parseString("""
                finitomata.passivate-idle-after = 50ms
                finitomata.wake-ahead = 100ms
                """).withFallback(super.persistenceConfig());
    }
}
