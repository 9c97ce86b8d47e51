package dev.finitomata.internal.payload;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * INTERNAL API. The Jackson migrations of payload classes: Pekko's own {@code pekko.serialization.jackson.migrations}
 * (and its {@code jackson-cbor} override), which Pekko applies only to the top-level class of a message, applied here
 * to the payloads nested in the FSMs' events, snapshots and messages ({@link PayloadTypeIdResolver}).
 *
 * <p>Design: Jackson builds a type-id resolver per type through a no-argument constructor, with no way to reach an
 * ActorSystem, so the migrations live in one JVM-wide map, filled from each ActorSystem's configuration when a
 * facade is created (before any of its FSMs reads the journal). Migrations are keyed by class name, as in Pekko,
 * so two systems that configure the same class must agree on its migration; the first one registered is kept.
 */
public final class PayloadMigrations {

    private static final Map<String, JacksonMigration> MIGRATIONS = new ConcurrentHashMap<>();

    private PayloadMigrations() {
    }

    /**
     * Registers the migrations configured for {@code system}, built with its class loader.
     *
     * @throws IllegalArgumentException naming the class and the key, if a migration cannot be built
     */
    public static void load(ActorSystem<?> system) {
        ExtendedActorSystem classic = (ExtendedActorSystem) Adapter.toClassic(system);
        load(system.settings().config(), classic.dynamicAccess().classLoader());
    }

    /**
     * Registers the migrations configured in {@code config}.
     *
     * @throws IllegalArgumentException naming the class and the key, if a migration cannot be built
     */
    public static void load(Config config, ClassLoader loader) {
        for (String path : new String[] {"pekko.serialization.jackson.migrations",
                "pekko.serialization.jackson.jackson-cbor.migrations"}) {
            if (!config.hasPath(path)) {
                continue;
            }
            for (Map.Entry<String, ConfigValue> entry : config.getConfig(path).root().entrySet()) {
                String payloadClass = entry.getKey().replace("\"", "");
                String migrationClass = String.valueOf(entry.getValue().unwrapped());
                MIGRATIONS.computeIfAbsent(payloadClass, name -> instantiate(path, name, migrationClass, loader));
            }
        }
    }

    private static JacksonMigration instantiate(String path, String payloadClass, String migrationClass,
                                                ClassLoader loader) {
        try {
            return (JacksonMigration) Class.forName(migrationClass, true, loader).getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw new IllegalArgumentException(path + ".\"" + payloadClass + "\" = " + migrationClass + ": cannot "
                    + "build the migration (it must extend JacksonMigration and have a public no-argument "
                    + "constructor): " + e, e);
        }
    }

    /** The migration of the payload class {@code className}, or null. */
    public static JacksonMigration of(String className) {
        return MIGRATIONS.isEmpty() ? null : MIGRATIONS.get(className);
    }
}
