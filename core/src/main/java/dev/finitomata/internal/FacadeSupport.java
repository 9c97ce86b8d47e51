package dev.finitomata.internal;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.FsmNotFoundException;
import dev.finitomata.FsmState;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.StartResult;
import dev.finitomata.definition.FsmDefinition;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * INTERNAL API. What the local and the cluster facades share: argument checks with messages that say what to fix,
 * the payload serialization check, the mapping of FSM replies to results and exceptions, and erasing an FSM's
 * persisted events and snapshots through the journal protocol (so it works with any Pekko journal).
 */
public final class FacadeSupport {

    private final String supervisorId;
    private final Class<?> type;
    private final FsmEnvironment environment;
    private final Set<Class<?>> verified = ConcurrentHashMap.newKeySet();

    public FacadeSupport(FsmEnvironment environment) {
        this.environment = environment;
        this.supervisorId = environment.supervisorId();
        this.type = environment.type();
    }

    /** Checks a supervisor id: non-blank, no {@code |} (it separates the parts of a persistence id). */
    public static String checkId(String id) {
        Objects.requireNonNull(id, "id");
        if (id.isBlank() || id.contains("|")) {
            throw new IllegalArgumentException("supervisor id '" + id + "' must be non-blank and must not contain "
                    + "'|'; use something like \"orders\"");
        }
        return id;
    }

    public String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("FSM name must not be blank (supervisor '" + supervisorId + "')");
        }
        return name;
    }

    /** Checks an event against the definition, once one FSM has taught it to the facade. */
    public String checkEvent(String event) {
        Objects.requireNonNull(event, "event");
        FsmDefinition definition = environment.definition();
        if (definition != null && !definition.events().contains(event)) {
            throw new IllegalArgumentException("event '" + event + "' is not in the definition of "
                    + type.getSimpleName() + "; its events are " + definition.events());
        }
        return event;
    }

    public static Duration checkDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        return delay;
    }

    /**
     * Checks, once per payload class, that a payload survives Pekko serialization (as it must to be journaled by a
     * serializing journal or to cross the cluster).
     *
     * @throws IllegalArgumentException naming the class and the cause
     */
    public void verifyPayload(ActorSystem<?> system, Object payload) {
        Objects.requireNonNull(payload, "payload");
        if (!environment.settings().verifyPayloads() || verified.contains(payload.getClass())) {
            return;
        }
        FsmProtocol.PayloadUpdated probe = new FsmProtocol.PayloadUpdated(payload);
        Object back;
        try {
            Serialization serialization = SerializationExtension.get(Adapter.toClassic(system));
            Serializer serializer = serialization.findSerializerFor(probe);
            byte[] bytes = serializer.toBinary(probe);
            back = ((FsmProtocol.PayloadUpdated) serialization.deserialize(bytes, serializer.identifier(),
                    Serializers.manifestFor(serializer, probe)).get()).payload();
        } catch (Exception | Error e) {
            throw new IllegalArgumentException("payload of type " + payload.getClass().getName() + " cannot be "
                    + "serialised with Jackson (" + e + "); make it a record, or a class with a @JsonCreator "
                    + "constructor, whose fields Jackson can write and read back (set "
                    + "finitomata.verify-payload-serialization = off to skip this check)", e);
        }
        if (overridesEquals(payload.getClass()) && !payload.equals(back)) {
            throw new IllegalArgumentException("payload of type " + payload.getClass().getName() + " does not "
                    + "survive serialization: wrote " + payload + " and read back " + back
                    + "; make every field readable and writable by Jackson");
        }
        verified.add(payload.getClass());
    }

    private static boolean overridesEquals(Class<?> type) {
        try {
            return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    public StartResult startResult(String name, FsmProtocol.StartReply reply) {
        if (reply.error() != null) {
            throw new FsmTransitionException(name, reply.error());
        }
        return reply.result();
    }

    @SuppressWarnings("unchecked")
    public <P> FsmState<P> state(String name, FsmProtocol.Reply reply) {
        return switch (reply) {
            case FsmProtocol.Committed c -> (FsmState<P>) c.state();
            case FsmProtocol.Failed f -> throw new FsmTransitionException(name, f.error());
            case FsmProtocol.NotRunning n -> throw notFound(name);
        };
    }

    @SuppressWarnings("unchecked")
    public <P> Optional<FsmState<P>> state(FsmProtocol.StateReply reply) {
        return Optional.ofNullable((FsmState<P>) reply.state());
    }

    public FsmNotFoundException notFound(String name) {
        return new FsmNotFoundException(supervisorId, name);
    }

    /** Erases the events and snapshots of {@code persistenceId} through the configured journal and snapshot store. */
    public static CompletionStage<Done> deletePersisted(ActorSystem<?> system, FsmSettings settings,
                                                        String persistenceId) {
        Persistence persistence = Persistence.get(Adapter.toClassic(system));
        ActorRef journal = persistence.journalFor(settings.journalPluginId(), ConfigFactory.empty());
        ActorRef snapshots = persistence.snapshotStoreFor(settings.snapshotPluginId(), ConfigFactory.empty());
        Duration timeout = settings.askTimeout();
        CompletionStage<Object> events = Patterns.askWithReplyTo(journal,
                ref -> new JournalProtocol.DeleteMessagesTo(persistenceId, Long.MAX_VALUE, ref), timeout);
        CompletionStage<Object> snaps = Patterns.ask(snapshots, new SnapshotProtocol.DeleteSnapshots(persistenceId,
                SnapshotSelectionCriteria.latest()), timeout);
        LastErrors.succeeded(persistenceId);
        return events.thenCombine(snaps, (e, s) -> {
            if (!(e instanceof DeleteMessagesSuccess)) {
                throw new IllegalStateException("deleting the events of " + persistenceId + " failed: " + e);
            }
            if (!(s instanceof DeleteSnapshotsSuccess)) {
                throw new IllegalStateException("deleting the snapshots of " + persistenceId + " failed: " + s);
            }
            return Done.getInstance();
        });
    }

}
