package dev.finitomata.internal.facade;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.FsmDetails;
import dev.finitomata.FsmFactory;
import dev.finitomata.FsmHistoryEntry;
import dev.finitomata.FsmNotFoundException;
import dev.finitomata.FsmState;
import dev.finitomata.FsmTransitionException;
import dev.finitomata.StartResult;
import dev.finitomata.definition.FsmDefinition;
import dev.finitomata.internal.protocol.Replies;
import dev.finitomata.internal.query.Histories;
import dev.finitomata.internal.runtime.FsmRuntime;
import dev.finitomata.internal.runtime.FsmSettings;
import dev.finitomata.internal.runtime.FsmType;
import dev.finitomata.internal.runtime.PluginCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.slf4j.Logger;

/**
 * INTERNAL API. What the local and the cluster facades share: argument checks with messages that say what to fix,
 * the payload checks, the mapping of FSM replies to results and exceptions, the count of dropped events, and erasing
 * an FSM's persisted events and snapshots through the journal protocol (so it works with any Pekko journal).
 */
public final class FacadeSupport {

    private final String supervisorId;
    private final Class<?> type;
    private final FsmType environment;
    private final Logger log;
    private final AtomicLong dropped = new AtomicLong();
    /** Event strings that passed {@link #checkEvent} once the definition was known (copied on write). */
    private volatile String[] accepted = new String[0];
    private static final int ACCEPTED = 16;

    public FacadeSupport(FsmType environment, Logger log) {
        this.environment = environment;
        this.supervisorId = environment.supervisorId();
        this.type = environment.type();
        this.log = log;
    }

    /**
     * Reads the FSM type's definition from an instance built only for that (see {@link FsmRuntime#probeDefinition}),
     * so that events are checked before the facade hosts any FSM.
     */
    public void probeDefinition(ActorSystem<?> system, FsmFactory<?> factory) {
        Optional<FsmDefinition> probed = FsmRuntime.probeDefinition(system, environment, factory);
        if (probed.isEmpty()) {
            log.debug("'{}': could not read the definition of {} from a detached instance; events are checked "
                    + "once an FSM of it runs here", supervisorId, type.getName());
        }
    }

    /**
     * The journal the FSMs of supervisor {@code id} write to: {@code finitomata.journal-plugin}, else Pekko's default.
     *
     * @throws IllegalStateException naming the keys to set, when neither names a journal, or naming the plugin when
     *                               its configuration is missing (its module is not on the classpath)
     */
    public static String checkJournal(com.typesafe.config.Config config, FsmSettings settings, String id) {
        String journal = settings.journalPluginId().isEmpty()
                ? config.getString("pekko.persistence.journal.plugin") : settings.journalPluginId();
        if (journal.isEmpty()) {
            throw new IllegalStateException("'" + id + "': no journal is configured for the FSMs: set "
                    + "finitomata.journal-plugin (or Pekko's pekko.persistence.journal.plugin) to a journal plugin, "
                    + "e.g. \"finitomata.persistence.file.journal\" or, for a cluster, \"jdbc-journal\"");
        }
        if (!config.hasPath(journal + ".class")) {
            throw new IllegalStateException("'" + id + "': the journal plugin '" + journal + "' (from "
                    + (settings.journalPluginId().isEmpty() ? "pekko.persistence.journal.plugin"
                    : "finitomata.journal-plugin") + ") is not configured: there is no " + journal + ".class; add "
                    + "the plugin's module to the classpath, or correct the name");
        }
        return journal;
    }

    /**
     * Checks every store the FSMs of supervisor {@code id} will use: the journal ({@link #checkJournal}), the snapshot
     * store and an explicitly set read journal must be configured (their {@code .class} present); then the journal
     * and the snapshot store are asked once per ActorSystem, in the background, whether they work.
     *
     * @return the check, to {@link PluginCheck#gate} the calls that need the stores
     * @throws IllegalStateException naming the key and the fix, when a plugin is not configured
     */
    public static PluginCheck checkStores(ActorSystem<?> system, FsmSettings settings, String id) {
        com.typesafe.config.Config config = system.settings().config();
        String journal = checkJournal(config, settings, id);
        String snapshotKey = settings.snapshotPluginId().isEmpty() ? "pekko.persistence.snapshot-store.plugin"
                : "finitomata.snapshot-plugin";
        String snapshots = config.getString(snapshotKey);
        if (!snapshots.isEmpty() && !config.hasPath(snapshots + ".class")) {
            throw new IllegalStateException("'" + id + "': the snapshot store plugin '" + snapshots + "' (from "
                    + snapshotKey + ") is not configured: there is no " + snapshots + ".class; add the plugin's "
                    + "module to the classpath, or correct the name");
        }
        String readJournal = config.getString("finitomata.read-journal-plugin");
        if (!readJournal.isEmpty() && !config.hasPath(readJournal + ".class")) {
            throw new IllegalStateException("'" + id + "': the read journal plugin '" + readJournal + "' (from "
                    + "finitomata.read-journal-plugin) is not configured: there is no " + readJournal + ".class; "
                    + "add the plugin's module to the classpath, or correct the name");
        }
        return new PluginCheck(system, id, journal, settings.journalPluginId().isEmpty()
                ? "pekko.persistence.journal.plugin" : "finitomata.journal-plugin", snapshots, snapshotKey);
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

    /** {@code FsmSupervisor.history}, the same on both facades: read from the journal, never through the FSM. */
    public <P> CompletionStage<List<FsmHistoryEntry<P>>> history(ActorSystem<?> system, String name) {
        return Histories.read(system, environment, checkName(name));
    }

    /**
     * Checks a client's event against the definition (once known), the FSM type's internal events, and its payload's
     * serializability.
     */
    public String checkEvent(String event, Object eventPayload) {
        Objects.requireNonNull(event, "event");
        if (!accepted(event)) {
            boolean known = environment.learnt(); // before the checks: only an event checked against it is kept
            FsmDefinition definition = environment.definition();
            if (definition != null && !definition.events().contains(event)) {
                throw new IllegalArgumentException("event '" + event + "' is not in the definition of "
                        + type.getSimpleName() + "; its events are " + definition.events());
            }
            if (environment.internalEvents().contains(event)) {
                throw new IllegalArgumentException(environment.internalRefused(event));
            }
            if (known) {
                accept(event);
            }
        }
        environment.payloads().verify(eventPayload, "event payload");
        return event;
    }

    /**
     * Whether this very string passed the event checks once the definition was known, after which they never change:
     * a client that sends literals (the usual case) is checked by identity, without the definition's sets, whose
     * lines miss the cache when the FSMs are many. At most {@value #ACCEPTED} strings are kept.
     */
    private boolean accepted(String event) {
        for (String known : accepted) {
            if (known == event) {
                return true;
            }
        }
        return false;
    }

    private void accept(String event) {
        String[] now = accepted;
        if (now.length < ACCEPTED) {
            String[] more = Arrays.copyOf(now, now.length + 1);
            more[now.length] = event;
            accepted = more; // a race may lose one: it is only checked again
        }
    }

    public static Duration checkDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        return delay;
    }

    /**
     * Checks a start payload.
     *
     * @throws IllegalArgumentException naming the class and the cause, if it does not survive serialization
     * @throws NullPointerException     if it is null
     */
    public void verifyPayload(Object payload) {
        Objects.requireNonNull(payload, () -> "payload must not be null (supervisor '" + supervisorId + "'): start "
                + "an FSM with its initial payload; an FSM with no data of its own can use an empty record");
        environment.payloads().verify(payload, "payload");
    }

    public StartResult startResult(String name, Replies.StartReply reply) {
        if (reply.error() != null) {
            throw new FsmTransitionException(name, reply.error());
        }
        return reply.result();
    }

    @SuppressWarnings("unchecked")
    public <P> FsmState<P> state(String name, Replies.Reply reply) {
        return switch (reply) {
            case Replies.Committed c -> (FsmState<P>) c.state();
            case Replies.Failed f -> throw new FsmTransitionException(name, f.error());
            case Replies.NotRunning n -> throw notFound(name);
        };
    }

    /**
     * The answer to {@code state}: empty when the FSM does not run.
     *
     * @throws FsmTransitionException if it could not be read (it must recover from a journal that is unavailable)
     */
    @SuppressWarnings("unchecked")
    public <P> Optional<FsmState<P>> state(String name, Replies.StateReply reply) {
        if (reply.error() != null) {
            throw new FsmTransitionException(name, reply.error());
        }
        return Optional.ofNullable((FsmState<P>) reply.state());
    }

    /** The answer to {@code details}: empty when the FSM does not run. */
    @SuppressWarnings("unchecked")
    public <P> Optional<FsmDetails<P>> details(Replies.DetailsReply reply) {
        if (reply.state() == null) {
            return Optional.empty();
        }
        List<FsmDetails.Delay> delays = reply.delays().stream().map(d -> new FsmDetails.Delay(d.event(),
                d.eventPayload(), Instant.ofEpochMilli(d.dueAtMillis()))).toList();
        Optional<FsmDetails.Timer> timer = reply.timerIntervalMillis() <= 0 ? Optional.empty()
                : Optional.of(new FsmDetails.Timer(Duration.ofMillis(reply.timerIntervalMillis()),
                        Instant.ofEpochMilli(reply.timerDueAtMillis())));
        return Optional.of(new FsmDetails<>((FsmState<P>) reply.state(), reply.node(), delays, timer));
    }

    /**
     * The answer to a stop (or a timer call): done, or not running ({@link FsmNotFoundException}), or it failed
     * ({@code FsmTransitionException}).
     */
    public Done stopped(String name, Replies.Reply reply) {
        state(name, reply);
        return Done.getInstance();
    }

    /** The answer to a delete: done, or {@link IllegalStateException} saying why erasing failed. */
    public Done deleted(String name, Replies.Deleted reply) {
        if (reply.failure() != null) {
            throw new IllegalStateException("could not erase FSM '" + name + "' of '" + supervisorId + "': "
                    + reply.failure());
        }
        return Done.getInstance();
    }

    public FsmNotFoundException notFound(String name) {
        return new FsmNotFoundException(supervisorId, name);
    }

    /** Counts and logs an event dropped because its FSM does not run. */
    public void dropped(String name, String event) {
        dropped.incrementAndGet();
        log.warn("'{}': no FSM named '{}' is running; event '{}' dropped (start it first)", supervisorId, name, event);
    }

    /** How many events were dropped so far. */
    public long droppedEvents() {
        return dropped.get();
    }

    /** The actor told of the fire-and-forget and delayed events an FSM dropped: it counts them. */
    public Behavior<Replies.Reply> dropCounter() {
        return Behaviors.receiveMessage(reply -> {
            if (reply instanceof Replies.NotRunning n) {
                dropped(n.name(), n.event());
            } else if (reply instanceof Replies.Failed f) { // refused while the journal is down: summed up there
                dropped.incrementAndGet();
                log.debug("'{}': event '{}' dropped: {}", supervisorId, f.error().event(), f.error().reason());
            }
            return Behaviors.same();
        });
    }
}
