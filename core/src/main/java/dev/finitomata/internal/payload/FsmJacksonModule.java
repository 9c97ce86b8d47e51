package dev.finitomata.internal.payload;

import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.finitomata.FsmError;
import dev.finitomata.FsmState;

/**
 * INTERNAL API. How Pekko's Jackson serializer writes the public records that travel between nodes
 * ({@link FsmState} in replies, {@link FsmError} in failures): their user objects typed {@code Object} or {@code P}
 * carry their class ({@link PayloadType}), through mix-ins, so the public types carry no serialization annotation and
 * a user's own {@code ObjectMapper} sees plain records. Registered in core's {@code reference.conf}
 * ({@code pekko.serialization.jackson.jackson-modules}).
 */
public final class FsmJacksonModule extends SimpleModule {

    public FsmJacksonModule() {
        super("finitomata");
        setMixInAnnotation(FsmState.class, StateMixin.class);
        setMixInAnnotation(FsmError.class, ErrorMixin.class);
    }

    /** {@link FsmState#payload()} carries its class. */
    abstract static class StateMixin {
        @PayloadType
        Object payload;

        @PayloadType
        abstract Object payload();
    }

    /** {@link FsmError#eventPayload()} carries its class. */
    abstract static class ErrorMixin {
        @PayloadType
        Object eventPayload;

        @PayloadType
        abstract Object eventPayload();
    }
}
