package dev.finitomata.internal.runtime;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;

/**
 * INTERNAL API. The {@code finitomata.*} settings, read once per facade.
 *
 * @param historySize            states kept in {@code FsmState.history()}
 * @param snapshotEvery          transitions between snapshots (0: none)
 * @param deleteEventsOnSnapshot whether events older than the snapshots kept are deleted
 * @param journalPluginId        journal plugin ("" = Pekko's default)
 * @param snapshotPluginId       snapshot store plugin ("" = Pekko's default)
 * @param askTimeout             how long the facades wait for an FSM's answer
 * @param verifyPayloads         whether payloads are checked once per class to survive serialization
 * @param dispatcher             config path of the dispatcher the FSMs run on
 * @param clock                  the clock used to date delayed transitions
 * @param passivateIdleAfter     an FSM passivates after this long without a command (zero: never)
 * @param wakeAhead              how long before its earliest delayed transition or timer tick a passivated FSM is woken
 * @param restartMinBackoff      first delay before an FSM restarts after a journal failure or a crash
 * @param restartMaxBackoff      the longest such delay (it doubles from the first)
 * @param restartRandomFactor    jitter added to the delay
 * @param forkCheckInterval      how often a parent FSM checks on the children it forked
 */
public record FsmSettings(int historySize, int snapshotEvery, boolean deleteEventsOnSnapshot,
                          String journalPluginId, String snapshotPluginId, Duration askTimeout,
                          boolean verifyPayloads, String dispatcher, Clock clock, Duration passivateIdleAfter,
                          Duration wakeAhead,
                          Duration restartMinBackoff, Duration restartMaxBackoff, double restartRandomFactor,
                          Duration forkCheckInterval) {

    /**
     * Reads the {@code finitomata} section of {@code config}.
     *
     * @throws IllegalArgumentException naming the key, if a value is out of range
     */
    public static FsmSettings from(Config config) {
        Config c = config.getConfig("finitomata");
        int history = c.getInt("history-size");
        int snapshots = c.getInt("snapshot-every");
        if (history < 0 || snapshots < 0) {
            throw new IllegalArgumentException("finitomata.history-size and finitomata.snapshot-every must not be "
                    + "negative (were " + history + " and " + snapshots + ")");
        }
        Duration min = c.getDuration("restart-backoff.min");
        Duration max = c.getDuration("restart-backoff.max");
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("finitomata.restart-backoff.min must be positive and at most "
                    + "finitomata.restart-backoff.max (were " + min + " and " + max + ")");
        }
        Duration wakeAhead = c.getDuration("wake-ahead");
        if (wakeAhead.isNegative()) {
            throw new IllegalArgumentException("finitomata.wake-ahead must not be negative (was " + wakeAhead + ")");
        }
        return new FsmSettings(history, snapshots, c.getBoolean("delete-events-on-snapshot"),
                c.getString("journal-plugin"), c.getString("snapshot-plugin"), c.getDuration("ask-timeout"),
                c.getBoolean("verify-payload-serialization"), "finitomata.dispatcher", Clock.systemUTC(),
                c.getDuration("passivate-idle-after"), wakeAhead, min, max, c.getDouble("restart-backoff.random-factor"),
                c.getDuration("fork-check-interval"));
    }

    /** A copy with another clock (tests drive time with it). */
    public FsmSettings withClock(Clock other) {
        return new FsmSettings(historySize, snapshotEvery, deleteEventsOnSnapshot, journalPluginId,
                snapshotPluginId, askTimeout, verifyPayloads, dispatcher, other, passivateIdleAfter, wakeAhead,
                restartMinBackoff, restartMaxBackoff, restartRandomFactor, forkCheckInterval);
    }
}
