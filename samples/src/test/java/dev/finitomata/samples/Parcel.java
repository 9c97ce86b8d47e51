package dev.finitomata.samples;

/**
 * The payload of a parcel, at version 4 of its class. Its history, which {@link ParcelMigration} replays:
 * <ol>
 *   <li>{@code Parcel(String id, int weight, String priority, String legacyCode)}</li>
 *   <li>a field added: {@code boolean insured} (old parcels were not insured)</li>
 *   <li>a field renamed: {@code weight} became {@code grams}</li>
 *   <li>a field removed ({@code legacyCode}), and a type changed: {@code priority} from {@code "HIGH"}/{@code "LOW"}
 *   to a number, 1 (first) to 9 (last)</li>
 * </ol>
 *
 * @param id       the parcel's name
 * @param grams    its weight
 * @param priority 1 (first) to 9 (last)
 * @param insured  whether it is insured
 */
public record Parcel(String id, int grams, int priority, boolean insured) {
}
