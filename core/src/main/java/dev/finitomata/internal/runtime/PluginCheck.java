package dev.finitomata.internal.runtime;

import com.typesafe.config.ConfigFactory;
import dev.finitomata.spi.StoreCheck;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.Terminated;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.event.Logging;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;

/**
 * INTERNAL API. Whether the journal and the snapshot store the FSMs will use work, found out once per plugin per
 * ActorSystem when a supervisor is created, so that a misconfigured store (wrong JDBC settings, a file-journal
 * directory locked by another process, a plugin that fails to start) fails the first call at once, saying why,
 * rather than after the ask timeout.
 *
 * <p>Design: a small classic actor asks the plugin what any FSM's recovery would: the journal its highest sequence
 * number of a probe persistence id (a real read: on JDBC, a connection), the snapshot store the latest snapshot. A
 * plugin whose actor dies while starting is watched, and its cause is taken from the ERROR event Pekko publishes
 * for it. The answer comes within {@code finitomata.plugin-check-timeout}, or the plugin's own
 * {@code finitomata-check-timeout}. A failed check fails the calls waiting
 * for it and the next call, then runs again for the calls after (the store may have been fixed meanwhile).
 */
public final class PluginCheck {

    private static final String PROBE_ID = "finitomata-plugin-check";
    /** Numbers the probes' actor names, unique in the JVM. */
    private static final AtomicLong PROBES = new AtomicLong();

    /** The checks of one ActorSystem, by plugin. */
    private static final class Checks implements Extension {
        final Map<String, AtomicReference<CompletableFuture<Void>>> byPlugin = new ConcurrentHashMap<>();
    }

    private static final ExtensionId<Checks> CHECKS = new ExtensionId<>() {
        @Override
        public Checks createExtension(ActorSystem<?> system) {
            return new Checks();
        }
    };

    private final ActorSystem<?> system;
    private final String supervisorId;
    private final String journal;
    private final String journalKey;
    private final String snapshots;
    private final String snapshotKey;
    private final Duration timeout;
    /** Calls made while the check runs, in order; the lock of {@link #checking} and {@link #open}. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private boolean checking;
    /** The stores worked: calls go straight through, for good. */
    private volatile boolean open;

    /**
     * Starts checking (or reuses the check of) {@code journal} and {@code snapshots} (plugin ids; "" is Pekko's
     * default), named in messages by the configuration keys that chose them.
     */
    public PluginCheck(ActorSystem<?> system, String supervisorId, String journal, String journalKey,
                       String snapshots, String snapshotKey) {
        this.system = system;
        this.supervisorId = supervisorId;
        this.journal = journal;
        this.journalKey = journalKey;
        this.snapshots = snapshots;
        this.snapshotKey = snapshotKey;
        this.timeout = system.settings().config().getDuration("finitomata.plugin-check-timeout");
        check(); // now, in the background: the first call finds the result
    }

    /**
     * Makes {@code call} once the stores are known to work: at once when they were; in order behind the calls
     * already waiting while the check runs (so that calls keep the order they were made in); never when the check
     * failed: {@code refuse} is then told an {@link IllegalStateException} saying which store failed, the key that
     * chose it and the cause. After a failed check the next call checks again.
     */
    public void run(Runnable call, Consumer<Throwable> refuse) {
        if (!open) {
            synchronized (waiting) {
                if (!open) {
                    waiting.add(new Waiting(call, refuse));
                    if (!checking) {
                        checking = true;
                        check().whenComplete((ok, failure) -> checked(failure));
                    }
                    return;
                }
            }
        }
        call.run();
    }

    /** {@link #run} for a call that answers: its answer, or the failed check. */
    public <T> CompletionStage<T> gate(Supplier<CompletionStage<T>> call) {
        if (open) {
            return call.get();
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        run(() -> {
            try {
                call.get().whenComplete((t, failure) -> {
                    if (failure == null) {
                        answer.complete(t);
                    } else {
                        answer.completeExceptionally(unwrap(failure));
                    }
                });
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }, answer::completeExceptionally);
        return answer;
    }

    /** Runs or refuses the waiting calls in order, those that come meanwhile too; then opens (or not). */
    private void checked(Throwable failure) {
        Throwable cause = failure == null ? null : unwrap(failure);
        while (true) {
            Waiting next;
            synchronized (waiting) {
                next = waiting.poll();
                if (next == null) {
                    checking = false;
                    open = cause == null;
                    return;
                }
            }
            if (cause == null) {
                next.call().run();
            } else {
                next.refuse().accept(cause);
            }
        }
    }

    private record Waiting(Runnable call, Consumer<Throwable> refuse) {
    }

    private CompletableFuture<Void> check() {
        CompletableFuture<Void> journaled = check("journal", journal, journalKey, PluginCheck::journalQuestion);
        if (snapshots.isEmpty()) { // none configured: Pekko's stand-in, nothing to check
            return journaled;
        }
        return CompletableFuture.allOf(journaled, check("snapshot store", snapshots, snapshotKey,
                PluginCheck::snapshotQuestion));
    }

    private CompletableFuture<Void> check(String what, String plugin, String key,
                                          java.util.function.Function<ActorRef, Object> question) {
        AtomicReference<CompletableFuture<Void>> slot = CHECKS.apply(system).byPlugin
                .computeIfAbsent(what + ":" + plugin, p -> new AtomicReference<>());
        while (true) {
            CompletableFuture<Void> current = slot.get();
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            if (current != null && current.isDone()) { // failed: report it once, then check again next time
                if (slot.compareAndSet(current, null)) {
                    return current;
                }
                continue;
            }
            CompletableFuture<Void> fresh = new CompletableFuture<>();
            if (slot.compareAndSet(null, fresh)) {
                probe(what, plugin, key, question, fresh);
                return fresh;
            }
        }
    }

    private void probe(String what, String plugin, String key, java.util.function.Function<ActorRef, Object> question,
                       CompletableFuture<Void> result) {
        com.typesafe.config.Config config = system.settings().config();
        String resolved = resolve(config, what, plugin);
        String timeoutKey = hasOwnTimeout(config, resolved) ? resolved + ".finitomata-check-timeout"
                : "finitomata.plugin-check-timeout";
        Duration patience = hasOwnTimeout(config, resolved) ? config.getDuration(timeoutKey) : timeout;
        ask(system, what, plugin, question, patience).whenComplete((ok, failure) -> {
            if (failure == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(new IllegalStateException("'" + supervisorId + "': the " + what + " '"
                        + (plugin.isEmpty() ? "(Pekko's default)" : plugin) + "' (from " + key + ") does not work: "
                        + describe(failure, patience, timeoutKey) + ". Fix its configuration, or point " + key
                        + " at a store that works", unwrap(failure)));
            }
        });
    }

    /**
     * Whether {@code plugin} sets how long its check may take ({@code <plugin>.finitomata-check-timeout}), instead of
     * {@code finitomata.plugin-check-timeout}: a store whose start takes time in proportion to what it holds (the file
     * journal indexes its directory before it answers) sets more.
     */
    static boolean hasOwnTimeout(com.typesafe.config.Config config, String plugin) {
        return !plugin.isEmpty() && config.hasPath(plugin + ".finitomata-check-timeout");
    }

    /**
     * Asks {@code plugin} (the {@code what}: "journal" or "snapshot store") {@code question} once, after the store's
     * own check if it has one; completes when it answered, exceptionally with the cause (a {@code TimeoutException}
     * after {@code timeout}). Also the probe of {@link StoreOutage}.
     */
    static CompletableFuture<Void> ask(ActorSystem<?> system, String what, String plugin,
                                       java.util.function.Function<ActorRef, Object> question, Duration timeout) {
        CompletableFuture<Void> raw = new CompletableFuture<>();
        Thread.ofVirtual().name("finitomata-store-check").start(() -> { // the store's own check may block
            try {
                ownCheck(system, resolve(system.settings().config(), what, plugin));
            } catch (Exception | LinkageError e) {
                raw.completeExceptionally(e);
                return;
            }
            Props props = Props.create(Prober.class, () -> new Prober(what, plugin, question, raw));
            try {
                // a counter, not the clock: two checks started in the same nanosecond (the journal's and the
                // snapshot store's, at a facade's start) once got the same name, and one of them never answered
                ((org.apache.pekko.actor.ExtendedActorSystem) Adapter.toClassic(system)).systemActorOf(props,
                        "finitomata-plugin-check-" + PROBES.incrementAndGet());
            } catch (RuntimeException e) { // the system is terminating, say: the check fails now, not at its timeout
                raw.completeExceptionally(e);
            }
        });
        return raw.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The journal's question: an FSM recovery's first (its highest sequence number: a real read). */
    static Object journalQuestion(ActorRef probe) {
        return new JournalProtocol.ReplayMessages(1L, 0L, 0L, PROBE_ID, probe);
    }

    /** The snapshot store's question: an FSM recovery's first (its latest snapshot). */
    static Object snapshotQuestion(ActorRef probe) {
        return new SnapshotProtocol.LoadSnapshot(PROBE_ID, SnapshotSelectionCriteria.latest(), Long.MAX_VALUE);
    }

    /**
     * {@code plugin}, or if it is empty (Pekko's default) the default plugin of its kind ({@code what}: "journal" or
     * "snapshot store"), whose own check applies as well.
     */
    static String resolve(com.typesafe.config.Config config, String what, String plugin) {
        String key = what.equals("journal") ? "pekko.persistence.journal.plugin"
                : "pekko.persistence.snapshot-store.plugin";
        return !plugin.isEmpty() || !config.hasPath(key) ? plugin : config.getString(key);
    }

    /** Whether {@code plugin} names a {@link StoreCheck} of its own. */
    static boolean hasOwnCheck(com.typesafe.config.Config config, String plugin) {
        String key = plugin + ".finitomata-check";
        return !plugin.isEmpty() && config.hasPath(key) && !config.getString(key).isEmpty();
    }

    /** The store's own {@link StoreCheck}, if its plugin names one ({@code <plugin>.finitomata-check}). */
    static void ownCheck(ActorSystem<?> system, String plugin) throws Exception {
        com.typesafe.config.Config config = system.settings().config();
        String key = plugin + ".finitomata-check";
        if (hasOwnCheck(config, plugin)) {
            StoreCheck check = (StoreCheck) Class.forName(config.getString(key)).getDeclaredConstructor()
                    .newInstance();
            check.check(config, plugin);
        }
    }

    static String describe(Throwable failure, Duration timeout, String timeoutKey) {
        Throwable cause = unwrap(failure);
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return "it did not answer within " + timeout.toMillis() + " ms (" + timeoutKey + "; a store that is only "
                    + "slow to start needs more)";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String said = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        return root == cause || said.contains(String.valueOf(root.getMessage())) ? said : said + ", caused by " + root;
    }

    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Asks one plugin one question; watches it; stops once the result is known. */
    static final class Prober extends AbstractActor {
        private final String what;
        private final String plugin;
        private final java.util.function.Function<ActorRef, Object> question;
        private final CompletableFuture<Void> result;
        private ActorRef store;

        Prober(String what, String plugin, java.util.function.Function<ActorRef, Object> question,
               CompletableFuture<Void> result) {
            this.what = what;
            this.plugin = plugin;
            this.question = question;
            this.result = result;
        }

        @Override
        public void preStart() {
            getContext().getSystem().getEventStream().subscribe(getSelf(), Logging.Error.class);
            Persistence persistence = Persistence.get(getContext().getSystem());
            store = what.equals("journal") ? persistence.journalFor(plugin, ConfigFactory.empty())
                    : persistence.snapshotStoreFor(plugin, ConfigFactory.empty());
            getContext().watch(store);
            store.tell(question.apply(getSelf()), getSelf());
            result.whenComplete((ok, failure) -> getSelf().tell(Done.DONE, ActorRef.noSender()));
        }

        @Override
        public void postStop() {
            getContext().getSystem().getEventStream().unsubscribe(getSelf());
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(JournalProtocol.RecoverySuccess.class, ok -> result.complete(null))
                    .match(JournalProtocol.ReplayMessagesFailure.class, f -> result.completeExceptionally(f.cause()))
                    .match(SnapshotProtocol.LoadSnapshotResult.class, ok -> result.complete(null))
                    .match(SnapshotProtocol.LoadSnapshotFailed.class, f -> result.completeExceptionally(f.cause()))
                    .match(Logging.Error.class, e -> e.logSource().startsWith(store.path().toString()), e ->
                            result.completeExceptionally(Optional.ofNullable(e.cause())
                                    .filter(c -> !c.getClass().getName().endsWith("NoCause$"))
                                    .orElseGet(() -> new IllegalStateException(String.valueOf(e.message())))))
                    .match(Terminated.class, t -> getContext().getSystem().getScheduler().scheduleOnce( // its
                            Duration.ofMillis(200), getSelf(), Done.GIVE_UP, getContext().getDispatcher(), // cause
                            ActorRef.noSender())) // may come just after: wait for it a little
                    .matchEquals(Done.GIVE_UP, d -> result.completeExceptionally(new IllegalStateException(
                            "its actor stopped while starting (its cause is in the log)")))
                    .matchEquals(Done.DONE, d -> getContext().stop(getSelf()))
                    .matchAny(other -> { })
                    .build();
        }
    }

    /** Tells a prober that its result is known, or that the cause of its plugin's death did not come. */
    private enum Done { DONE, GIVE_UP }
}
