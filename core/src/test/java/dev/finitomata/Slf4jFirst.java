package dev.finitomata;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.slf4j.LoggerFactory;

/**
 * Starts SLF4J before any test, on the launcher's thread. Otherwise the first ActorSystem of a test JVM often starts
 * it from two threads at once (the caller's, and an actor's {@code getLog()}), and SLF4J prints its "logging calls
 * ... intercepted and are now being replayed" warning. Registered in {@code META-INF/services}; the modules that use
 * core's test jar get it too. (Applications: see {@link FsmLoggingFilter}.)
 */
public final class Slf4jFirst implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LoggerFactory.getILoggerFactory();
    }
}
