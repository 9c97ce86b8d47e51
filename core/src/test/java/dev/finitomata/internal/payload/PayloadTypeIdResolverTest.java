package dev.finitomata.internal.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import dev.finitomata.Counter;
import java.util.List;
import org.apache.pekko.serialization.jackson.JacksonMigration;
import org.junit.jupiter.api.Test;

/** Payload type ids: unchanged for classes without a migration, versioned and migrated for those with one. */
class PayloadTypeIdResolverTest {

    /** What every payload was written as before: Jackson's plain class-name type id. */
    record Before(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object payload) {
    }

    record Now(@PayloadType Object payload) {
    }

    /** A payload class with a migration: version 1 had "n" where version 2 has "count". */
    public record Tally(int count) {
    }

    public static final class TallyMigration extends JacksonMigration {
        @Override
        public int currentVersion() {
            return 2;
        }

        @Override
        public JsonNode transform(int fromVersion, JsonNode json) {
            ObjectNode tally = (ObjectNode) json;
            if (fromVersion < 2) {
                tally.set("count", tally.remove("n"));
            }
            return tally;
        }
    }

    private final ObjectMapper mapper = new ObjectMapper();

    static {
        PayloadMigrations.load(ConfigFactory.parseString("""
                pekko.serialization.jackson.migrations {
                  "dev.finitomata.internal.payload.PayloadTypeIdResolverTest$Tally" = "dev.finitomata.internal.payload.PayloadTypeIdResolverTest$TallyMigration"
                }
                """), PayloadTypeIdResolverTest.class.getClassLoader());
    }

    @Test
    void withoutAMigrationAPayloadIsWrittenAndReadAsBefore() throws Exception {
        for (Object payload : List.of(new Counter(3), 5, "text", List.of(1, 2), 2.5, true)) {
            String before = mapper.writeValueAsString(new Before(payload));
            assertEquals(before, mapper.writeValueAsString(new Now(payload)), "the persisted format is unchanged");
            assertEquals(payload, mapper.readValue(before, Now.class).payload());
        }
    }

    @Test
    void aMigratedClassIsWrittenWithItsVersionAndOlderVersionsAreMigratedOnRead() throws Exception {
        String now = mapper.writeValueAsString(new Now(new Tally(4)));
        assertTrue(now.contains("\"@class\":\"" + Tally.class.getName() + "#2\""), now);
        assertEquals(new Tally(4), mapper.readValue(now, Now.class).payload());

        String version1 = "{\"payload\":{\"@class\":\"" + Tally.class.getName() + "\",\"n\":7}}";
        assertEquals(new Tally(7), mapper.readValue(version1, Now.class).payload());
        String fieldsFirst = "{\"payload\":{\"n\":8,\"@class\":\"" + Tally.class.getName() + "\"}}";
        assertEquals(new Tally(8), mapper.readValue(fieldsFirst, Now.class).payload());

        String version3 = "{\"payload\":{\"@class\":\"" + Tally.class.getName() + "#3\",\"count\":1}}";
        Exception future = assertThrows(Exception.class, () -> mapper.readValue(version3, Now.class));
        assertTrue(String.valueOf(future.getMessage()).contains("written by version 3"), future.toString());
    }
}
