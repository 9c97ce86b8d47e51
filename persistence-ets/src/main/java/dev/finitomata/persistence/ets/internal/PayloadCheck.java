package dev.finitomata.persistence.ets.internal;

import com.typesafe.config.Config;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.Serialization$;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * INTERNAL API. The {@code serialize} setting of the ETS plugins: off, objects are stored as they are; on, each one
 * is round-tripped through Pekko serialization (with transport information, so actor refs serialize) and the copy
 * is stored, proving that the payload is serialisable.
 */
final class PayloadCheck {

    private final ExtendedActorSystem system;
    private final boolean serialize;

    PayloadCheck(ActorSystem system, Config config) {
        this.system = (ExtendedActorSystem) system;
        this.serialize = config.getBoolean("serialize");
    }

    boolean serializes() {
        return serialize;
    }

    /** The object to store: {@code payload} itself, or its serialized round-trip copy. */
    Object prepare(Object payload) throws Exception {
        if (!serialize) {
            return payload;
        }
        Serialization serialization = SerializationExtension.get(system);
        return Serialization$.MODULE$.withTransportInformation(system, () -> {
            Serializer serializer = serialization.findSerializerFor(payload);
            String manifest = Serializers.manifestFor(serializer, payload);
            byte[] bytes = serializer.toBinary(payload);
            return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
        });
    }
}
