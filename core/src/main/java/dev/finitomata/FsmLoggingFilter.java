package dev.finitomata;

import dev.finitomata.internal.runtime.StoreOutage;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.event.EventStream;
import org.apache.pekko.event.slf4j.Slf4jLoggingFilter;
import org.slf4j.LoggerFactory;

/**
 * Pekko's {@link Slf4jLoggingFilter}, which also starts SLF4J at once, on the thread creating the ActorSystem. With
 * the stock filter SLF4J starts lazily, and about every other ActorSystem start two threads (the caller's and the
 * {@code Slf4jLogger} actor's) start it together: SLF4J then prints its "A number (1) of logging calls during the
 * initialization phase have been intercepted and are now being replayed" warning to stderr. Set it with Pekko's
 * SLF4J logger:
 *
 * <pre>{@code
 * pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
 * pekko.logging-filter = "dev.finitomata.FsmLoggingFilter"
 * }</pre>
 *
 * <p>It also keeps a database outage to the few lines Finitomata logs about it: while the FSMs' journal is known to be
 * unavailable, or suspected (see docs/cluster.md, section 10), the ERROR lines of Pekko's shard coordinator and its
 * remembered-shards store are left out. With remembered entities the coordinator writes what it allocates to the
 * journal; during an outage each attempt fails, stops the coordinator and logs two ERROR lines with stack traces
 * (Pekko starts it again, with back-off, until the journal is back).
 *
 * <p>Created by Pekko (by reflection), once per ActorSystem, while the ActorSystem is created; asked on the thread
 * that logs.
 */
public final class FsmLoggingFilter extends Slf4jLoggingFilter {

    private final String systemName;

    /** Called by Pekko when it creates the ActorSystem. */
    public FsmLoggingFilter(ActorSystem.Settings settings, EventStream eventStream) {
        super(settings, eventStream);
        this.systemName = settings.name();
        LoggerFactory.getILoggerFactory(); // SLF4J starts here, before the logger actor's thread can race it
    }

    @Override
    public boolean isErrorEnabled(Class<?> logClass, String logSource) {
        return super.isErrorEnabled(logClass, logSource)
                && !(isShardCoordinator(logClass) && StoreOutage.anyInDoubt(systemName));
    }

    private static boolean isShardCoordinator(Class<?> logClass) {
        return logClass.getName().startsWith("org.apache.pekko.cluster.sharding.")
                && logClass.getSimpleName().contains("Coordinator");
    }
}
