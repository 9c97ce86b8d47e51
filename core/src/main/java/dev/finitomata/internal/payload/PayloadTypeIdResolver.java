package dev.finitomata.internal.payload;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DatabindContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.jsontype.impl.ClassNameIdResolver;
import com.fasterxml.jackson.databind.jsontype.impl.LaissezFaireSubTypeValidator;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.io.IOException;
import java.util.Collection;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * INTERNAL API. The type id of a payload (a user object typed {@code Object} in the FSMs' events, snapshots and
 * messages): its class name, as Jackson's {@code Id.CLASS} writes it, followed by {@code #<version>} when the class has
 * a {@link JacksonMigration} whose current version is above 1 ({@link PayloadMigrations}).
 *
 * <p>Design: Pekko applies a migration to the top-level class of a message, whose version it keeps in the manifest;
 * a payload is nested, so its version goes into its own type id, where Pekko keeps it for a class: after a
 * {@code #}. Reading an id of an older (or supported newer) version, the resolver names the class the migration gives
 * ({@code transformClassName}) and answers the type {@link Migrating}; its deserializer reads the payload as a JSON
 * tree, has the migration {@code transform} it, and binds the result to that class. The pending migration travels
 * from one to the other as an attribute of the deserialization context, set just before Jackson looks up (and keeps,
 * per type id) the deserializer of that id. An id without a version is version 1, so everything written before (plain
 * {@code Id.CLASS}) reads as before; classes without a migration are written exactly as before.
 */
public final class PayloadTypeIdResolver extends ClassNameIdResolver {

    private static final Object PENDING = PayloadTypeIdResolver.class;

    /** A migration to apply to the value about to be read. */
    private record Pending(JavaType type, JacksonMigration migration, int version) {
    }

    /** Built by Jackson (through {@code @JsonTypeIdResolver}); payloads are typed {@code Object}. */
    public PayloadTypeIdResolver() {
        super(TypeFactory.defaultInstance().constructType(Object.class), TypeFactory.defaultInstance(),
                (Collection<NamedType>) null, LaissezFaireSubTypeValidator.instance);
    }

    @Override
    public JsonTypeInfo.Id getMechanism() {
        return JsonTypeInfo.Id.CUSTOM;
    }

    @Override
    public String idFromValue(Object value) {
        return versioned(super.idFromValue(value));
    }

    @Override
    public String idFromValueAndType(Object value, Class<?> type) {
        return versioned(super.idFromValueAndType(value, type));
    }

    private static String versioned(String className) {
        JacksonMigration migration = PayloadMigrations.of(className);
        return migration == null || migration.currentVersion() <= 1 ? className
                : className + "#" + migration.currentVersion();
    }

    @Override
    public JavaType typeFromId(DatabindContext context, String id) throws IOException {
        int hash = id.lastIndexOf('#');
        String name = hash < 0 ? id : id.substring(0, hash);
        JacksonMigration migration = PayloadMigrations.of(name);
        if (migration == null) {
            return super.typeFromId(context, name);
        }
        int version;
        try {
            version = hash < 0 ? 1 : Integer.parseInt(id.substring(hash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("payload type id '" + id + "' has no version number after '#'", e);
        }
        if (version == migration.currentVersion()) {
            return super.typeFromId(context, name);
        }
        if (version > migration.supportedForwardVersion()) {
            throw new IllegalStateException("payload " + name + " was written by version " + version + ", but its "
                    + "migration " + migration.getClass().getName() + " is at version " + migration.currentVersion()
                    + " and supports reading up to version " + migration.supportedForwardVersion());
        }
        JavaType type = super.typeFromId(context, migration.transformClassName(version, name));
        context.setAttribute(PENDING, new Pending(type, migration, version));
        return context.constructType(Migrating.class);
    }

    /** The stand-in type of a payload that must be migrated as it is read. */
    @JsonDeserialize(using = MigratingDeserializer.class)
    static final class Migrating {
        private Migrating() {
        }
    }

    /**
     * Reads the payload as a tree, migrates it, and binds it to its class. Jackson looks a value's deserializer up
     * once per type id, right after {@link #typeFromId}, and keeps it for that id: the contextual copy made then takes
     * the pending migration with it, so every later payload of that id (same class, same version) is migrated alike.
     */
    static final class MigratingDeserializer extends StdDeserializer<Object> implements ContextualDeserializer {

        private final Pending pending;

        MigratingDeserializer() {
            this(null);
        }

        private MigratingDeserializer(Pending pending) {
            super(Object.class);
            this.pending = pending;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
            Pending next = (Pending) context.getAttribute(PENDING);
            if (next == null) {
                return this;
            }
            context.setAttribute(PENDING, null);
            return new MigratingDeserializer(next);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (pending == null) {
                throw new IllegalStateException("a payload to migrate was read without its migration");
            }
            JsonNode tree = context.readTree(parser);
            JsonNode migrated = pending.migration().transform(pending.version(), tree);
            return context.readTreeAsValue(migrated, pending.type());
        }
    }
}
