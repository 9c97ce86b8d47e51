package dev.finitomata.persistence.file.internal;

import dev.finitomata.persistence.file.internal.RecordFormat.Blob;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.Serialization$;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * INTERNAL API. Pekko serialization of journal payloads and snapshots, with transport information so that payloads
 * holding actor refs serialize; the serializer id and manifest are stored with the bytes.
 */
final class Serializing {

    private final ExtendedActorSystem system;
    private final Serialization serialization;

    Serializing(ActorSystem system) {
        this.system = (ExtendedActorSystem) system;
        this.serialization = SerializationExtension.get(system);
    }

    Blob toBlob(Object value) {
        return Serialization$.MODULE$.withTransportInformation(system, () -> {
            Serializer serializer = serialization.findSerializerFor(value);
            return new Blob(serializer.identifier(), Serializers.manifestFor(serializer, value),
                    serializer.toBinary(value));
        });
    }

    Object fromBlob(Blob blob) {
        return serialization.deserialize(blob.bytes(), blob.serializerId(), blob.manifest()).get();
    }
}
