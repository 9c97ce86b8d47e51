package dev.finitomata.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Brings a {@link Parcel} written by any earlier version of the class to version 4, one step at a time. Registered
 * the way Pekko registers any Jackson migration:
 * {@code pekko.serialization.jackson.migrations { "dev.finitomata.samples.Parcel" = "dev.finitomata.samples.ParcelMigration" }}.
 */
public final class ParcelMigration extends JacksonMigration {

    @Override
    public int currentVersion() {
        return 4;
    }

    @Override
    public JsonNode transform(int fromVersion, JsonNode json) {
        ObjectNode parcel = (ObjectNode) json;
        if (fromVersion < 2) {
            parcel.put("insured", false);                                  // added
        }
        if (fromVersion < 3) {
            parcel.set("grams", parcel.remove("weight"));                  // renamed
        }
        if (fromVersion < 4) {
            parcel.remove("legacyCode");                                   // removed
            parcel.put("priority", parcel.path("priority").asText().equals("HIGH") ? 1 : 9); // type changed
        }
        return parcel;
    }
}
