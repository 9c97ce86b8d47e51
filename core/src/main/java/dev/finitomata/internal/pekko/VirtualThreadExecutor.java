package dev.finitomata.internal.pekko;

import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;
import org.apache.pekko.dispatch.MonitorableThreadFactory;

/**
 * INTERNAL API. The executor of the FSM dispatcher ({@code finitomata.dispatcher.executor}): every task (an actor's
 * mailbox run) on a new virtual thread, as Pekko's {@code virtual-thread-executor}, minus what it costs per task and
 * an FSM does not need.
 *
 * <p>Design: Pekko's executor starts each virtual thread through a {@code ThreadPerTaskExecutor}, which adds every
 * thread to a concurrent set (to wait for them at shutdown), names it with a counter, and copies the creating thread's
 * inheritable thread locals. Here a task's thread is started with a fixed name, inherits no thread locals, and is not
 * tracked: shutting the executor down only refuses new tasks (Pekko shuts a dispatcher's executor down when it has
 * had no actor for {@code shutdown-timeout}, or when the ActorSystem ends, and waits for none of them). A task that
 * throws reaches Pekko's uncaught exception handler, and threads get the ActorSystem's class loader, as on Pekko's
 * executor. Measured with {@code -Dbench=Durable} (docs/BENCHMARKS.md): 3–8% more awaited transitions/s than
 * Pekko's {@code virtual-thread-executor}.
 */
public final class VirtualThreadExecutor extends ExecutorServiceConfigurator {

    /** Called by Pekko with the executor's configuration. */
    public VirtualThreadExecutor(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        Thread.Builder.OfVirtual threads = Thread.ofVirtual().name("finitomata-fsm")
                .inheritInheritableThreadLocals(false);
        ClassLoader loader = null;
        if (threadFactory instanceof MonitorableThreadFactory pekko) {
            // as Pekko's executor: its handler (logs, and ends the JVM on a fatal error if so configured), its loader
            threads = threads.uncaughtExceptionHandler(pekko.exceptionHandler());
            loader = pekko.contextClassLoader().isDefined() ? pekko.contextClassLoader().get() : null;
        }
        ThreadFactory factory = threads.factory();
        ClassLoader contextLoader = loader;
        return () -> new Lean(factory, contextLoader);
    }

    /** Pekko does not batch future callbacks on a virtualized dispatcher: each one may block. */
    @Override
    public boolean isVirtualized() {
        return true;
    }

    /** A new virtual thread per task, untracked. */
    static final class Lean extends AbstractExecutorService {

        private final ThreadFactory threads;
        private final ClassLoader contextLoader;
        private volatile boolean shutdown;

        Lean(ThreadFactory threads, ClassLoader contextLoader) {
            this.threads = threads;
            this.contextLoader = contextLoader;
        }

        @Override
        public void execute(Runnable task) {
            if (shutdown) {
                throw new RejectedExecutionException("the FSM dispatcher's executor is shut down");
            }
            Thread thread = threads.newThread(task);
            if (contextLoader != null) {
                thread.setContextClassLoader(contextLoader);
            }
            thread.start();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        /** Running tasks are not tracked: terminated as soon as shut down. */
        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }
}
