package dev.finitomata.internal.engine;

/**
 * INTERNAL API. The one guard around user code: whatever a hook throws becomes a {@link Threw} that the caller turns
 * into an {@code FsmError} of its stage, except an error that means the JVM is in trouble
 * ({@link VirtualMachineError} other than a stack overflow), which propagates: the actor stops, or the JVM exits
 * (Pekko's {@code jvm-exit-on-fatal-error}). An interrupt is kept as the thread's interrupt status.
 */
public final class Guard {

    /** User code, returning a value. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws Exception;
    }

    /** User code with no value. */
    @FunctionalInterface
    public interface Run {
        void run() throws Exception;
    }

    /** User code threw; {@link #getMessage()} names the exception and its message. Carries no stack trace. */
    public static final class Threw extends Exception {
        private Threw(Throwable cause) {
            super(describe(cause), cause, false, false);
        }
    }

    private Guard() {
    }

    /** Runs {@code hook}. @throws Threw if it threw anything but a fatal JVM error */
    public static <T> T call(Call<T> hook) throws Threw {
        try {
            return hook.call();
        } catch (Throwable e) {
            throw threw(e);
        }
    }

    /** Runs {@code hook}. @throws Threw if it threw anything but a fatal JVM error */
    public static void run(Run hook) throws Threw {
        try {
            hook.run();
        } catch (Throwable e) {
            throw threw(e);
        }
    }

    /** {@code e} as a {@link Threw}, unless it is fatal (then it is rethrown). */
    public static Threw threw(Throwable e) {
        rethrowIfFatal(e);
        return new Threw(e);
    }

    /** Errors that mean the JVM is in trouble are not a failed transition: they propagate. */
    public static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
            throw fatal;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }

    /** The class name of {@code e} and its message. */
    public static String describe(Throwable e) {
        return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
