package dev.finitomata.internal.protocol;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * INTERNAL API. Reads what journals, snapshot stores and older nodes wrote under the protocol's former class names
 * (everything was nested in {@code dev.finitomata.internal.FsmProtocol} up to 0.1.0): Pekko's Jackson serializer
 * finds this migration by the old name in {@code pekko.serialization.jackson.migrations} (core's
 * {@code reference.conf} lists every old name) and deserializes the bytes as the class {@link #transformClassName}
 * names. Data written since carries the new names. {@code GoldenJournalTest} pins it on a journal written before the
 * move.
 */
public final class LegacyClassNames extends JacksonMigration {

    private static final String OLD = "dev.finitomata.internal.FsmProtocol$";

    /** Old class name to new class name. */
    static final Map<String, String> RENAMED = Stream.of(
                    Stream.of("Transitioned", "Migrated", "PayloadUpdated", "DelayScheduled", "DelayDone", "Stopped",
                            "Resumed", "Erased").map(n -> Map.entry(n, Event.class.getName() + "$" + n)),
                    Stream.of("StartReply", "Committed", "Failed", "NotRunning", "StateReply", "Settled", "AliveReply",
                            "Deleted").map(n -> Map.entry(n, Replies.class.getName() + "$" + n)),
                    Stream.of("Init", "Fire", "FireHard", "Schedule", "DelayDue", "Tick", "GetState", "IsAlive",
                            "Settle", "Stop", "Delete", "Erasure", "Shutdown", "Sleep", "IdleCheck", "Migrate")
                            .map(n -> Map.entry(n, Command.class.getName() + "$" + n)),
                    Stream.of(Map.entry("Data", Data.class.getName())))
            .flatMap(s -> s)
            .collect(Collectors.toUnmodifiableMap(e -> OLD + e.getKey(), Map.Entry::getValue));

    /** Version 1 is the old name; anything read as version 1 is renamed. */
    @Override
    public int currentVersion() {
        return 2;
    }

    @Override
    public String transformClassName(int fromVersion, String className) {
        return RENAMED.getOrDefault(className, className);
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode transform(int fromVersion,
                                                             com.fasterxml.jackson.databind.JsonNode json) {
        return json;
    }
}
