package dev.finitomata.samples;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Prints a progress line: rewritten in place on a terminal, a plain line every few seconds otherwise. */
final class Progress {

    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-progress");
        t.setDaemon(true);
        return t;
    });
    private final Supplier<String> line;

    Progress(PrintStream out, Supplier<String> line) {
        this.out = out;
        this.line = line;
        long every = terminal ? 250 : 3_000;
        ticker.scheduleAtFixedRate(this::print, every, every, TimeUnit.MILLISECONDS);
    }

    private void print() {
        if (terminal) {
            out.print("\r" + line.get() + "   ");
        } else {
            out.println(line.get());
        }
        out.flush();
    }

    void stop() {
        ticker.shutdownNow();
        print();
        out.println();
    }
}
