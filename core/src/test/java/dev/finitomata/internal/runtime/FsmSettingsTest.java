package dev.finitomata.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The passivation settings as read: the defaults, and a value out of range named with its key. */
class FsmSettingsTest {

    @Test
    void passivationAndWakeAheadHaveTheirDefaults() {
        FsmSettings settings = FsmSettings.from(ConfigFactory.load());
        assertEquals(Duration.ofSeconds(120), settings.passivateIdleAfter());
        assertEquals(Duration.ofSeconds(2), settings.wakeAhead());
    }

    @Test
    void aNegativeWakeAheadIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FsmSettings.from(
                ConfigFactory.parseString("finitomata.wake-ahead = -1s").withFallback(ConfigFactory.load())));
        assertTrue(e.getMessage().contains("finitomata.wake-ahead must not be negative"), e.getMessage());
    }
}
