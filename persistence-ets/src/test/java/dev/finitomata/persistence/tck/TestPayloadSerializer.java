package dev.finitomata.persistence.tck;

import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.Serialization$;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/** Serialises {@link TestPayload}; fails unless transport information is set, as the Pekko TCK's serializer. */
public final class TestPayloadSerializer extends SerializerWithStringManifest {

    private final ExtendedActorSystem system;

    public TestPayloadSerializer(ExtendedActorSystem system) {
        this.system = system;
    }

    @Override
    public int identifier() {
        return 666;
    }

    @Override
    public String manifest(Object o) {
        return "A";
    }

    @Override
    public byte[] toBinary(Object o) {
        if (!(o instanceof TestPayload payload)) {
            throw new IllegalArgumentException("not a TestPayload: " + o);
        }
        if (Serialization$.MODULE$.currentTransportInformation().value() == null) {
            throw new IllegalStateException("no transport information: wrap serialization in "
                    + "Serialization.withTransportInformation");
        }
        return Serialization.serializedActorPath(payload.ref()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        if (!"A".equals(manifest)) {
            throw new NotSerializableException("unknown manifest " + manifest);
        }
        return new TestPayload(system.provider().resolveActorRef(new String(bytes, StandardCharsets.UTF_8)));
    }
}
