package dev.finitomata.internal;

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
 * @param verifyPayloads         whether {@code start} checks that the payload survives serialization
 * @param dispatcher             config path of the dispatcher the FSMs run on
 * @param clock                  the clock used to date delayed transitions
 * @param passivateIdleAfter     a sharded FSM with no timer and no pending delayed transition passivates after
 *                               this long without a command (zero: never)
 */
public record FsmSettings(int historySize, int snapshotEvery, boolean deleteEventsOnSnapshot,
                          String journalPluginId, String snapshotPluginId, Duration askTimeout,
                          boolean verifyPayloads, String dispatcher, Clock clock, Duration passivateIdleAfter) {

    /** Reads the {@code finitomata} section of {@code config}. */
    public static FsmSettings from(Config config) {
        Config c = config.getConfig("finitomata");
        int history = c.getInt("history-size");
        int snapshots = c.getInt("snapshot-every");
        if (history < 0 || snapshots < 0) {
            throw new IllegalArgumentException("finitomata.history-size and finitomata.snapshot-every must not be "
                    + "negative (were " + history + " and " + snapshots + ")");
        }
        return new FsmSettings(history, snapshots, c.getBoolean("delete-events-on-snapshot"),
                c.getString("journal-plugin"), c.getString("snapshot-plugin"), c.getDuration("ask-timeout"),
                c.getBoolean("verify-payload-serialization"), "finitomata.dispatcher", Clock.systemUTC(),
                c.getDuration("passivate-idle-after"));
    }

    /** A copy with another clock (tests drive time with it). */
    public FsmSettings withClock(Clock other) {
        return new FsmSettings(historySize, snapshotEvery, deleteEventsOnSnapshot, journalPluginId,
                snapshotPluginId, askTimeout, verifyPayloads, dispatcher, other, passivateIdleAfter);
    }
}
