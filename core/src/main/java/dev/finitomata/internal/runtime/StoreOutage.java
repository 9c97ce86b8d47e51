package dev.finitomata.internal.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Whether the FSMs' journal and snapshot store are reachable, as this node sees them: one per ActorSystem
 * and pair of plugins, shared by every FSM on them, so that a database outage is found once, logged once and ridden
 * out together instead of by each FSM on its own.
 *
 * <p>Design: an FSM whose write or recovery failed reports it here ({@link #failed}); that is only a suspicion (a
 * single write may fail for reasons of its own), so the stores are probed at once, as {@link PluginCheck} does (the
 * store's own check, then the question an FSM recovery asks first, through the plugin's circuit breaker). Only a failed
 * probe makes it an outage: one WARN line, then the stores are probed every {@code finitomata.outage.probe-interval}
 * until both answer; a WARN summary every {@code finitomata.outage.summary-interval} meanwhile; one WARN line when they
 * are back, with how long they were gone and how many FSMs it touched. While it lasts ({@link #down()}), running FSMs
 * refuse what must be written at once instead of trying (and restarting), and park their due delayed transitions and
 * timer ticks until {@link #whenBack} tells them. A suspicion the probe clears is logged as such, once per burst.
 * All methods are thread-safe and return at once.
 */
public final class StoreOutage {

    private static final Logger LOG = LoggerFactory.getLogger(StoreOutage.class);

    /** The outages of one ActorSystem, by journal and snapshot plugin. */
    private static final class Outages implements Extension {
        final Map<String, StoreOutage> byStores = new ConcurrentHashMap<>();
    }

    private static final ExtensionId<Outages> OUTAGES = new ExtensionId<>() {
        @Override
        public Outages createExtension(ActorSystem<?> system) {
            return new Outages();
        }
    };

    /** Every watch by ActorSystem name, for {@link #anyInDoubt} (a logging filter knows no more than the name). */
    private static final Map<String, Set<StoreOutage>> BY_SYSTEM_NAME = new ConcurrentHashMap<>();

    private final ActorSystem<?> system;
    private final String journal;
    private final String snapshots;
    /** How long the first probe after a failure waits (to find an outage soon), and the probes while it lasts. */
    private final Duration probeTimeout;
    private final Duration returnTimeout;
    private final long probeIntervalMillis;
    private final long summaryIntervalNanos;

    private volatile boolean down;
    private volatile String cause = "";
    /** When the outage began (System.nanoTime); the last summary. */
    private long downSince;
    private long summarizedAt;
    /** FSMs whose write or recovery failed since the last report, and calls refused while down. */
    private final Set<String> affected = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** Guarded by {@code this}: whether a probe is under way, and who waits for the stores to be back. */
    private volatile boolean probing;
    private List<Runnable> waiting = new ArrayList<>();
    private List<Runnable> settling = new ArrayList<>();
    /**
     * An FSM whose awaited writes this watch follows: its awaited write in flight, read on the watch's and a verdict's
     * threads (the FSM actor itself hears of nothing until its write completes: Pekko stashes its commands meanwhile).
     */
    public interface Awaiter {
        /** How to tell the caller of the awaited write in flight that it is in doubt; null when none is in flight. */
        Runnable inDoubtNow();
    }

    /**
     * The FSMs that have had an awaited write: each joins at its first ({@link #awaiting}) and leaves when it ends
     * ({@link #leave}). A write itself then only sets and clears a field of its own FSM, which a verdict reads here.
     * The maps of writes in flight that this replaces put a shared map on the path of every awaited transition: about
     * 0.5 µs per transition, 3% of a burst's CPU, mostly cache lines passed between the carriers (issue 26, point 5).
     */
    private final Set<Awaiter> awaiters = ConcurrentHashMap.newKeySet();
    /**
     * The awaited writes begun and ended, counted only if the watch checks slow writes ({@link #timesWrites()}): one
     * atomic add each. A set of the FSMs with a write in flight took about 0.6 µs of a transition on PostgreSQL at
     * 10,000 FSMs (its nodes, bin locks and striped size counter), and 0.3 µs more for the watch's passes over it;
     * scanning every FSM alive instead costs 17 ms a pass at 300,000 FSMs. Not {@code LongAdder}s: FSMs run on a fresh
     * virtual thread per mailbox run, which has no stripe of its own yet, so they would all meet on one cell and take
     * the slow path that seeds a stripe (measured on {@code StateIndex}'s counters, issue 22).
     */
    private final AtomicLong begun = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    /** The watch's own (one pass at a time): {@link #ended} at its last pass, and when a pass last saw it move. */
    private volatile long seenEnded;
    private volatile long progressAt;
    /** How often the watch looks while writes are in flight: an eighth of {@code slow-write-check}, 10 ms at least. */
    private final long paceNanos;
    /** The journal plugin whose own check the watch of awaited writes asks (Pekko's default resolved). */
    private final String checked;
    /** Whether the journal has a check of its own ({@code StoreCheck}): a way to reach the store outside its pool. */
    private final boolean ownCheck;
    /** An awaited write in flight this long makes the node check the store's reachability (0: no check). */
    private final long slowWriteNanos;
    /** Whether the watch of awaited writes is scheduled. */
    private final java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean();

    private StoreOutage(ActorSystem<?> system, String journal, String snapshots) {
        this.system = system;
        this.journal = journal;
        this.snapshots = snapshots;
        com.typesafe.config.Config config = system.settings().config();
        this.probeTimeout = config.getDuration("finitomata.outage.probe-timeout");
        // while it is down, a slow answer still means it is back: those probes wait as long as a plugin check
        this.returnTimeout = config.getDuration("finitomata.plugin-check-timeout");
        this.probeIntervalMillis = config.getDuration("finitomata.outage.probe-interval").toMillis();
        this.summaryIntervalNanos = config.getDuration("finitomata.outage.summary-interval").toNanos();
        // only a store with a check of its own (JDBC: a connection of its own, outside the pool) can be asked whether
        // it is reachable without waiting behind the writes: the others are found down when a write fails
        this.checked = PluginCheck.resolve(config, "journal", journal);
        this.ownCheck = PluginCheck.hasOwnCheck(config, checked);
        this.slowWriteNanos = ownCheck
                ? config.getDuration("finitomata.outage.slow-write-check").toNanos() : 0;
        this.paceNanos = Math.max(slowWriteNanos / 8, TimeUnit.MILLISECONDS.toNanos(10));
        Set<StoreOutage> named = BY_SYSTEM_NAME.computeIfAbsent(system.name(), k -> ConcurrentHashMap.newKeySet());
        named.add(this);
        system.getWhenTerminated().thenRun(() -> named.remove(this));
    }

    /**
     * Whether the stores of some FSMs of an ActorSystem named {@code systemName} are {@linkplain #inDoubt() in doubt}
     * now (with several ActorSystems of that name in one JVM: of any of them).
     */
    public static boolean anyInDoubt(String systemName) {
        Set<StoreOutage> named = BY_SYSTEM_NAME.get(systemName);
        if (named == null) {
            return false;
        }
        for (StoreOutage outage : named) {
            if (outage.inDoubt()) {
                return true;
            }
        }
        return false;
    }

    /** The outage watch of {@code settings}' journal and snapshot store in {@code system}. */
    public static StoreOutage of(ActorSystem<?> system, FsmSettings settings) {
        return OUTAGES.apply(system).byStores.computeIfAbsent(settings.journalPluginId() + "|"
                + settings.snapshotPluginId(), k -> new StoreOutage(system, settings.journalPluginId(),
                settings.snapshotPluginId()));
    }

    /** Whether the stores are known to be unavailable (a probe failed, and none has succeeded since). */
    public boolean down() {
        return down;
    }

    /**
     * Why a call that must write or recover is refused now: names the journal, how long it has been unavailable and
     * the cause; says that nothing was written.
     */
    public String reason() {
        long seconds;
        synchronized (this) {
            seconds = down ? TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - downSince) : 0;
        }
        return "the journal '" + name(checked) + "' is unavailable (for " + seconds + " s: " + cause
                + "); nothing was written: try again once it is back";
    }

    /**
     * Whether a write or recovery failed and the probe has no verdict yet: an FSM restarting from its journal now may
     * be back at once (the failure was its own) or not before the journal is ({@link #whenSettled}).
     */
    public boolean suspected() {
        return probing && !down;
    }

    /** Whether the stores are {@link #down()} or {@link #suspected()}. */
    public boolean inDoubt() {
        return probing;
    }

    /**
     * Runs {@code settled} once the probe under way has its verdict (the stores are down, or they answer): at once
     * (on this thread) if none is under way, or it has one.
     */
    public void whenSettled(Runnable settled) {
        synchronized (this) {
            if (probing && !down) {
                settling.add(settled);
                return;
            }
        }
        settled.run();
    }

    /**
     * Whether the watch checks slow writes (a journal with a check of its own): then an FSM says when each of its
     * awaited writes is {@linkplain #answered over}, exactly once.
     */
    public boolean timesWrites() {
        return slowWriteNanos > 0;
    }

    /**
     * The FSM {@code fsm} has just set its write in flight that a caller waits for ({@code fsm.inDoubtNow()} returns
     * {@code inDoubt} from now on, until the write is over); {@code first}: the first since the FSM began, or since it
     * {@linkplain #leave left}. {@code inDoubt} tells the caller that the write is in doubt (at most once, whoever
     * runs it: it is run on another thread than the FSM's).
     */
    public void awaiting(Awaiter fsm, boolean first, Runnable inDoubt) {
        if (first) {
            awaiters.add(fsm);
        }
        if (slowWriteNanos > 0) {
            begun.incrementAndGet();
        }
        if (down) {
            // the FSM found the stores up just before, and the verdict may have told the others without it
            inDoubt.run();
        }
        if (slowWriteNanos > 0 && watching.compareAndSet(false, true)) {
            seenEnded = ended.get();
            progressAt = System.nanoTime();
            watchIn(paceNanos);
        }
    }

    /**
     * An awaited write {@linkplain #awaiting begun} is over (written or failed, or its FSM stopped meanwhile): to be
     * called exactly once for each, and only if {@link #timesWrites()}.
     */
    public void answered() {
        ended.incrementAndGet();
    }

    /** The FSM {@code fsm} has ended, and the watch no longer follows it (its write in flight, if any, is over). */
    public void leave(Awaiter fsm) {
        awaiters.remove(fsm);
    }

    /** How many FSMs the watch follows now: those alive that have had an awaited write. */
    int followed() {
        return awaiters.size();
    }

    /** How many awaited writes are in flight now, as counted for the watch (0 unless {@link #timesWrites()}). */
    long awaitedInFlight() {
        long over = ended.get(); // first: each write counted over here was counted begun before
        return begun.get() - over;
    }

    private void watchIn(long nanos) {
        CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS).execute(this::watch);
    }

    /**
     * The watch of awaited writes. A write queued for a pool connection when the database went away fails only after
     * the pool's {@code connectionTimeout}; a node with no other write under way would learn of the outage only then.
     * So when awaited writes are in flight and none has ended for {@code finitomata.outage.slow-write-check}, the node
     * asks the store's own check (a connection of its own, outside the pool): if the database answers, the writes are
     * merely slow and nothing happens (a loaded database is not an outage); if it does not, that is a failure like a
     * failed write, and the probe decides. Runs every {@link #paceNanos} while awaited writes are in flight, so it
     * finds a stall {@code slow-write-check} to two eighths more after the last write ended (to an eighth more after
     * the first write of an idle node began), and checks at most once per that interval. A single write stuck while
     * others end is not checked: the store that takes the others is up.
     */
    private void watch() {
        long now = System.nanoTime();
        long over = ended.get();
        if (over != seenEnded) { // a write ended since the last pass: the store makes progress
            seenEnded = over;
            progressAt = now;
        }
        if (begun.get() <= over) {
            watching.set(false);
            if (awaitedInFlight() <= 0 || !watching.compareAndSet(false, true)) {
                return; // nothing to watch, or a new write started the watch again
            }
            progressAt = now;
        }
        if (now - progressAt < slowWriteNanos || probing) {
            watchIn(paceNanos);
            return;
        }
        Thread.ofVirtual().name("finitomata-slow-write-check").start(() -> {
            try {
                PluginCheck.ownCheck(system, checked);
            } catch (Exception | LinkageError unreachable) {
                suspect(describe(unreachable));
            }
            progressAt = System.nanoTime(); // the next check after as long again without a write ending
            watchIn(paceNanos);
        });
    }

    /** What the caller of a write in flight when the stores were found down is told: the write is in doubt. */
    public String inDoubtReason() {
        return "the journal '" + name(checked) + "' is unavailable (" + cause + "): this write was under way when it "
                + "went down, so it is in doubt: it is applied only if the journal took it before, and the FSM's "
                + "state says so once the journal is back";
    }

    /** A call was refused because the stores are down (counted for the summaries). */
    public void refused() {
        refused.incrementAndGet();
    }

    /** The FSM {@code fsm}'s write or recovery failed with {@code failure}: probe the stores, unless under way. */
    public void failed(String fsm, Throwable failure) {
        affected.add(fsm);
        failures.incrementAndGet();
        suspect(describe(failure));
    }

    /** Something failed, saying {@code said}: probe the stores, unless under way. */
    private void suspect(String said) {
        boolean probe;
        synchronized (this) {
            if (!down) {
                cause = said;
            }
            probe = !probing;
            probing = true;
        }
        if (probe) {
            probe();
        }
    }

    /** Runs {@code back} once the stores are back: at once (on this thread) if they are not down now. */
    public void whenBack(Runnable back) {
        synchronized (this) {
            if (down) {
                waiting.add(back);
                return;
            }
        }
        back.run();
    }

    private void probe() {
        Duration timeout = down ? returnTimeout : probeTimeout;
        CompletableFuture<Void> journaled = PluginCheck.ask(system, "journal", journal, PluginCheck::journalQuestion,
                timeout);
        CompletableFuture<Void> both = snapshots.isEmpty() ? journaled : CompletableFuture.allOf(journaled,
                PluginCheck.ask(system, "snapshot store", snapshots, PluginCheck::snapshotQuestion, timeout));
        both.whenComplete((ok, failure) -> {
            if (failure != null && !down && ownCheck
                    && PluginCheck.unwrap(failure) instanceof java.util.concurrent.TimeoutException) {
                // no answer in time: the journal's question waits for a pool connection, as the writes do. A database
                // that takes a connection of our own is up, and only the pool is slow (as while it refills after an
                // outage): that is no outage, and calling it one refused every call for a while for nothing
                Thread.ofVirtual().name("finitomata-store-recheck").start(() -> {
                    try {
                        PluginCheck.ownCheck(system, checked);
                        probed(null);
                    } catch (Exception | LinkageError unreachable) {
                        probed(failure);
                    }
                });
            } else {
                probed(failure);
            }
        });
    }

    private void probed(Throwable failure) {
        boolean found = false;
        List<Runnable> back = List.of();
        List<Runnable> settled;
        long now = System.nanoTime();
        synchronized (this) {
            settled = settling;
            settling = new ArrayList<>();
            if (failure != null) {
                if (!down) {
                    down = true;
                    found = true;
                    downSince = now;
                    summarizedAt = now;
                    LOG.warn("the journal '{}' is unavailable: {}. FSM calls that must write or recover fail at once "
                            + "(stage PERSIST or START); due delayed transitions and timer ticks wait for it. "
                            + "Checking again every {} ms", name(checked), cause, probeIntervalMillis);
                } else {
                    cause = PluginCheck.describe(failure, returnTimeout, "finitomata.plugin-check-timeout");
                    if (now - summarizedAt >= summaryIntervalNanos) {
                        summarizedAt = now;
                        LOG.warn("the journal '{}' is still unavailable after {} s: {}; {} FSMs touched, {} calls "
                                + "refused so far", name(checked), TimeUnit.NANOSECONDS.toSeconds(now - downSince),
                                cause, affected.size(), refused.get());
                    }
                }
            } else {
                probing = false;
                if (down) {
                    down = false;
                    LOG.warn(String.format(Locale.ROOT, "the journal '%s' is back after %.1f s; %d FSMs were touched "
                            + "by the outage (%d failed writes or recoveries), %d calls were refused meanwhile",
                            name(checked), (now - downSince) / 1e9, affected.size(), failures.get(), refused.get()));
                    back = waiting;
                    waiting = new ArrayList<>();
                } else {
                    LOG.warn("{} FSM writes or recoveries failed ({}, e.g. FSM '{}') but the journal '{}' answers",
                            failures.get(), cause, affected.stream().findFirst().orElse("?"), name(checked));
                }
                affected.clear();
                failures.set(0);
                refused.set(0);
            }
        }
        if (found) { // callers waiting for writes in flight hear of it now, not when each write fails in turn
            for (Awaiter fsm : awaiters) {
                Runnable inDoubt = fsm.inDoubtNow();
                if (inDoubt != null) {
                    inDoubt.run();
                }
            }
        }
        if (failure != null) {
            CompletableFuture.delayedExecutor(probeIntervalMillis, TimeUnit.MILLISECONDS).execute(this::probe);
        }
        settled.forEach(Runnable::run);
        back.forEach(Runnable::run);
    }

    private static String name(String plugin) {
        return plugin.isEmpty() ? "(Pekko's default)" : plugin;
    }

    private static String describe(Throwable failure) {
        Throwable cause = PluginCheck.unwrap(failure);
        while (cause.getCause() != null && cause.getCause() != cause
                && cause.getClass().getName().endsWith("JournalFailureException")) {
            cause = cause.getCause();
        }
        return cause.getClass().getName() + ": " + cause.getMessage();
    }
}
