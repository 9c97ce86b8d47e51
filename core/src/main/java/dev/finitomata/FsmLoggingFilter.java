package dev.finitomata;

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
 * <p>Created by Pekko (by reflection), once per ActorSystem, while the ActorSystem is created.
 */
public final class FsmLoggingFilter extends Slf4jLoggingFilter {

    /** Called by Pekko when it creates the ActorSystem. */
    public FsmLoggingFilter(ActorSystem.Settings settings, EventStream eventStream) {
        super(settings, eventStream);
        LoggerFactory.getILoggerFactory(); // SLF4J starts here, before the logger actor's thread can race it
    }
}
