package dev.finitomata.internal.runtime;

import dev.finitomata.internal.protocol.TypePinned;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.JournalPersistFailed;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The type name in the persistence ids of a supervisor's FSMs ({@code fsm|<id>|<type>|<name>}) is
 * pinned per supervisor id: the first time an id runs, the simple name of its behavior class is written to the
 * journal under {@code fsm-type|<id>}, and every later run reads it from there. So renaming (or moving) the behavior
 * class keeps every stored FSM: the ids stay what they were. Journals written before pins existed carry the class's
 * simple name, which the first run after the upgrade pins (so do not rename the class in that same upgrade).
 *
 * <p>Design: a tiny event-sourced actor per resolution, on the FSMs' own journal, that answers and stops. A second
 * node racing to pin the same id loses the write: its actor answers "ask again", restarts quietly, recovers the
 * winner's pin and answers that; up to the ask timeout. FSM actors wait for the
 * pin on their own virtual thread; a facade's creation does not.
 */
public final class TypePins {

    private static final String PREFIX = "fsm-type|";
    private static final Duration RETRY = Duration.ofMillis(200);

    private TypePins() {
    }

    /** The persistence id of the pin of {@code supervisorId}. */
    public static String persistenceId(String supervisorId) {
        return PREFIX + supervisorId;
    }

    /**
     * Reads (or, the first time, writes) the type name pinned for {@code supervisorId}: {@code type}'s simple name
     * unless an earlier run pinned another. Completes exceptionally if the journal did not answer within the ask
     * timeout, after retries.
     */
    public static CompletionStage<String> resolve(ActorSystem<?> system, FsmSettings settings, String supervisorId,
                                                  Class<?> type) {
        CompletableFuture<String> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + settings.askTimeout().toNanos();
        attempt(system, settings, supervisorId, type, deadline, result);
        return result;
    }

    private static void attempt(ActorSystem<?> system, FsmSettings settings, String supervisorId, Class<?> type,
                                long deadline, CompletableFuture<String> result) {
        if (shuttingDown(system)) {
            result.completeExceptionally(new IllegalStateException("the type name of supervisor '" + supervisorId
                    + "' was not read: its ActorSystem is shutting down"));
            return;
        }
        // checked again as the actor starts: a pin actor that starts while the system terminates cannot create its
        // journal's plugin actors, and its failure was logged as an ERROR (seen at a test kit's shutdown)
        Behavior<Pin> pinning = Behaviors.setup(context -> shuttingDown(system) ? Behaviors.stopped()
                : new PinActor(supervisorId, settings));
        ActorRef<Pin> pin = system.systemActorOf(pinning,
                "finitomata-type-" + URLEncoder.encode(supervisorId, StandardCharsets.UTF_8) + "-" + UUID.randomUUID(),
                Props.empty());
        ask(system, settings, supervisorId, type, pin, deadline, result);
    }

    /**
     * Asks {@code pin}; if it lost a race (its write failed, it restarts and reads the winner's pin) asks it again; if
     * it did not answer, asks a new one; until the deadline.
     */
    private static void ask(ActorSystem<?> system, FsmSettings settings, String supervisorId, Class<?> type,
                            ActorRef<Pin> pin, long deadline, CompletableFuture<String> result) {
        Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
        Duration wait = left.compareTo(Duration.ofSeconds(5)) < 0 ? left : Duration.ofSeconds(5);
        AskPattern.<Pin, TypePinned>ask(pin, replyTo -> new Pin(type, replyTo), wait, system.scheduler())
                .whenComplete((pinned, failure) -> {
                    if (failure == null && pinned.pinned()) {
                        if (!pinned.typeName().equals(type.getSimpleName())) {
                            LoggerFactory.getLogger(TypePins.class).info("supervisor '{}' runs {}; its FSMs are "
                                    + "stored under the type name '{}', pinned when it first ran (with {})",
                                    supervisorId, type.getName(), pinned.typeName(), pinned.className());
                        }
                        result.complete(pinned.typeName());
                    } else if (shuttingDown(system)) {
                        attempt(system, settings, supervisorId, type, deadline, result); // answers why, at once
                    } else if (System.nanoTime() + RETRY.toNanos() >= deadline) {
                        Throwable cause = failure != null ? failure : new IllegalStateException("lost every race");
                        result.completeExceptionally(new IllegalStateException("the type name of supervisor '"
                                + supervisorId + "' could not be read from its journal (persistence id '"
                                + persistenceId(supervisorId) + "') within " + settings.askTimeout() + ": "
                                + cause, cause));
                    } else {
                        system.scheduler().scheduleOnce(RETRY, failure == null
                                ? () -> ask(system, settings, supervisorId, type, pin, deadline, result)
                                : () -> attempt(system, settings, supervisorId, type, deadline, result),
                                system.executionContext());
                    }
                });
    }

    /** Whether {@code system}'s coordinated shutdown has begun (an ActorSystem's {@code terminate} begins it too). */
    private static boolean shuttingDown(ActorSystem<?> system) {
        return CoordinatedShutdown.get(system).getShutdownReason().isPresent();
    }

    /** Waits for {@code pinned} (an FSM actor, on its virtual thread). @throws IllegalStateException saying why */
    static String await(CompletionStage<String> pinned, Duration timeout) {
        try {
            return pinned.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the type name of the FSMs was not read from the journal within "
                    + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the type name of the FSMs", e);
        }
    }

    /** Pin {@code type}'s simple name unless a name is pinned already; answer the pinned one, then stop. */
    record Pin(Class<?> type, ActorRef<TypePinned> replyTo) {
    }

    private static final class PinActor extends EventSourcedBehavior<Pin, TypePinned, TypePinned> {
        private final FsmSettings settings;
        /** Who waits for the write in flight. */
        private ActorRef<TypePinned> waiting;

        PinActor(String supervisorId, FsmSettings settings) {
            // a lost race fails the write: restart quietly (an expected race is no ERROR) and read the winner's pin
            super(PersistenceId.ofUniqueId(TypePins.persistenceId(supervisorId)), SupervisorStrategy
                    .restartWithBackoff(Duration.ofMillis(10), Duration.ofSeconds(1), 0.2).withLoggingEnabled(false));
            this.settings = settings;
        }

        @Override
        public TypePinned emptyState() {
            return TypePinned.NONE;
        }

        @Override
        public CommandHandler<Pin, TypePinned, TypePinned> commandHandler() {
            return (state, pin) -> {
                if (state.pinned()) {
                    pin.replyTo().tell(state);
                    return Effect().stop();
                }
                waiting = pin.replyTo();
                return Effect().persist(new TypePinned(pin.type().getSimpleName(), pin.type().getName()))
                        .thenRun(pinned -> pin.replyTo().tell(pinned)).thenStop();
            };
        }

        @Override
        public EventHandler<TypePinned, TypePinned> eventHandler() {
            return (state, event) -> state.pinned() ? state : event;
        }

        @Override
        public SignalHandler<TypePinned> signalHandler() {
            return newSignalHandlerBuilder().onSignal(JournalPersistFailed.class, (state, failed) -> {
                if (waiting != null) {
                    waiting.tell(TypePinned.NONE); // another node pinned first: ask again, and read it
                    waiting = null;
                }
            }).build();
        }

        @Override
        public String journalPluginId() {
            return settings.journalPluginId();
        }

        @Override
        public String snapshotPluginId() {
            return settings.snapshotPluginId();
        }
    }
}
