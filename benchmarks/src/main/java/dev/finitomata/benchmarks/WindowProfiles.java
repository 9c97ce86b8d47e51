package dev.finitomata.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import one.profiler.AsyncProfiler;
import one.profiler.Counter;

/**
 * CPU profiles of the timed windows only, one per contender, taken in the same interleaved run: turned on by
 * {@code -Dbench.profile=<dir>} (pass it in {@code bench.heap}), off otherwise. Each window (one measurement of one
 * contender) is profiled on its own with async-profiler (from Maven Central; it loads its own native library), and its
 * stacks are added to that contender's. Windows before {@code bench.profile.skip} per contender (default 12: the JIT's
 * rounds) are left out; so are the starts and stops around the windows, which the contenders do not share.
 *
 * <p>At the end, each contender's stacks are written to {@code <dir>/<contender>.collapsed} (the collapsed format that
 * flame graph tools read), and a report is printed: the CPU per transition of each contender, split by where it ran
 * (the FSMs' carriers, the caller, other threads) and by what ran (self time by package), and the frames whose
 * inclusive time differs most between the first contender and the second, all in microseconds of CPU per transition.
 *
 * <p>Design: sampling is {@code event=cpu} (perf events; {@code itimer} where the kernel refuses them) every
 * {@value #INTERVAL_US} µs, so a sample stands for that much CPU. Frame names are normalized (lambda classes and
 * addresses stripped) so that the same code matches across contenders.
 */
final class WindowProfiles {

    private static final long INTERVAL_US = 500;
    private static final String DIR = System.getProperty("bench.profile");
    private static final int SKIP = Integer.getInteger("bench.profile.skip", 12);
    /** {@code -Dbench.profile.event=alloc}: where the windows allocate (bytes per transition) instead of CPU. */
    private static final boolean ALLOC = "alloc".equals(System.getProperty("bench.profile.event"));
    private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda[^;]*");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]+");

    private static final Map<String, Map<String, Long>> STACKS = new LinkedHashMap<>();
    private static final Map<String, Long> TRANSITIONS = new HashMap<>();
    private static final Map<String, Integer> WINDOWS = new HashMap<>();
    private static AsyncProfiler profiler;
    private static String event = "cpu";

    private WindowProfiles() {
    }

    static boolean on() {
        return DIR != null;
    }

    /** A timed window begins: profiling starts afresh. */
    static void begin() {
        if (!on()) {
            return;
        }
        try {
            if (profiler == null) {
                profiler = AsyncProfiler.getInstance();
            }
            profiler.execute(ALLOC ? "start,event=alloc,interval=65536"
                    : "start,event=" + event + ",interval=" + INTERVAL_US + "us,cstack=vm");
        } catch (IOException | IllegalStateException e) {
            if (event.equals("cpu")) { // perf events refused (perf_event_paranoid): the timer instead
                event = "itimer";
                begin();
                return;
            }
            throw new IllegalStateException("async-profiler could not start: " + e.getMessage(), e);
        }
    }

    /** The window of {@code who} ends after {@code transitions}: its samples join that contender's. */
    static void end(String who, long transitions) {
        if (!on()) {
            return;
        }
        profiler.stop();
        int window = WINDOWS.merge(who, 1, Integer::sum);
        if (window <= SKIP) {
            return;
        }
        Map<String, Long> stacks = STACKS.computeIfAbsent(who, w -> new HashMap<>());
        for (String line : profiler.dumpCollapsed(ALLOC ? Counter.TOTAL : Counter.SAMPLES).split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space > 0) {
                String stack = LAMBDA.matcher(line.substring(0, space)).replaceAll("\\$\\$Lambda");
                stacks.merge(ADDRESS.matcher(stack).replaceAll(""),
                        Long.parseLong(line.substring(space + 1).trim()), Long::sum);
            }
        }
        TRANSITIONS.merge(who, transitions, Long::sum);
    }

    /** Writes the profiles and prints the report (the class comment); nothing if profiling is off. */
    static void report() throws IOException {
        if (!on() || STACKS.isEmpty()) {
            return;
        }
        Path dir = Files.createDirectories(Path.of(DIR));
        List<String> who = new ArrayList<>(STACKS.keySet());
        List<Map<String, Double>> byThread = new ArrayList<>();
        List<Map<String, Double>> self = new ArrayList<>();
        List<Map<String, Double>> inclusive = new ArrayList<>();
        for (String w : who) {
            List<String> lines = new ArrayList<>();
            STACKS.get(w).forEach((stack, n) -> lines.add(stack + " " + n));
            Files.write(dir.resolve(w.replace(' ', '-') + ".collapsed"), lines);
            // µs of CPU per transition per sample; allocating, bytes per transition per byte
            double perSample = (ALLOC ? 1 : INTERVAL_US) / (double) TRANSITIONS.get(w);
            Map<String, Double> threads = new HashMap<>();
            Map<String, Double> selfOf = new HashMap<>();
            Map<String, Double> inclusiveOf = new HashMap<>();
            STACKS.get(w).forEach((stack, n) -> {
                String[] frames = stack.split(";");
                double us = n * perSample;
                threads.merge(threadKind(frames), us, Double::sum);
                threads.merge("all", us, Double::sum);
                selfOf.merge(group(frames[frames.length - 1]), us, Double::sum);
                Set<String> seen = new HashSet<>();
                for (String frame : frames) {
                    if (seen.add(frame)) {
                        inclusiveOf.merge(frame, us, Double::sum);
                    }
                }
            });
            byThread.add(threads);
            self.add(selfOf);
            inclusive.add(inclusiveOf);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, ALLOC ? "## Allocation profile of the timed windows (async-profiler, "
                + "event=alloc; after %3$d windows per contender), bytes per transition; stacks in %4$s%n"
                : "## CPU profile of the timed windows (async-profiler, event=%s, every %d µs; "
                + "after %d windows per contender), µs of CPU per transition; stacks in %s%n", event, INTERVAL_US,
                SKIP, dir.toAbsolutePath());
        table("where it ran", who, byThread, 10, 0);
        table("self time by package", who, self, 24, 0.05);
        if (who.size() >= 2) {
            System.out.println();
            System.out.println("Frames whose inclusive time differs most, " + who.get(0) + " minus " + who.get(1)
                    + " (µs per transition):");
            Map<String, Double> a = inclusive.get(0);
            Map<String, Double> b = inclusive.get(1);
            Set<String> frames = new HashSet<>(a.keySet());
            frames.addAll(b.keySet());
            frames.stream().sorted((x, y) -> Double.compare(Math.abs(delta(a, b, y)), Math.abs(delta(a, b, x))))
                    .limit(25).forEach(f -> System.out.printf(Locale.ROOT, "  %+6.2f  (%5.2f, %5.2f)  %s%n",
                            delta(a, b, f), a.getOrDefault(f, 0.0), b.getOrDefault(f, 0.0), f));
        }
        if (!who.get(0).equals("Finitomata")) {
            return;
        }
        System.out.println();
        System.out.println("Finitomata's own methods, by inclusive time (µs per transition):");
        inclusive.get(0).entrySet().stream().filter(e -> e.getKey().startsWith("dev/finitomata/")
                        && !e.getKey().startsWith("dev/finitomata/benchmarks/")
                        && !e.getKey().startsWith("dev/finitomata/persistence/") && !e.getKey().contains("$$Lambda"))
                .sorted((x, y) -> Double.compare(y.getValue(), x.getValue())).limit(30)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %5.2f  %s%n", e.getValue(), e.getKey()));
    }

    private static double delta(Map<String, Double> a, Map<String, Double> b, String frame) {
        return a.getOrDefault(frame, 0.0) - b.getOrDefault(frame, 0.0);
    }

    private static void table(String title, List<String> who, List<Map<String, Double>> rows, int limit,
                              double atLeast) {
        System.out.println();
        System.out.println("| " + title + " | " + String.join(" | ", who) + " |");
        System.out.println("|---" + "|---".repeat(who.size()) + "|");
        Set<String> keys = new HashSet<>();
        rows.forEach(r -> keys.addAll(r.keySet()));
        keys.stream().sorted((x, y) -> Double.compare(rows.get(0).getOrDefault(y, 0.0),
                rows.get(0).getOrDefault(x, 0.0))).filter(k -> rows.stream()
                .anyMatch(r -> r.getOrDefault(k, 0.0) >= atLeast)).limit(limit).forEach(k -> {
                    StringBuilder row = new StringBuilder("| " + k);
                    rows.forEach(r -> row.append(String.format(Locale.ROOT, " | %.2f", r.getOrDefault(k, 0.0))));
                    System.out.println(row.append(" |"));
                });
    }

    /** The FSMs' and actors' virtual threads run on ForkJoinPool carriers; the caller is the benchmark's main. */
    private static String threadKind(String[] frames) {
        String root = frames[0];
        if (root.contains("ForkJoinWorkerThread")) {
            return "carriers (virtual threads: the actors)";
        }
        if (root.contains("Benchmark.main")) {
            return "the caller";
        }
        for (String frame : frames) {
            if (frame.contains("GroupCommitWriter") || frame.contains("persistence/file")) {
                return "the file journal's threads";
            }
            if (frame.contains("Compile") || frame.contains("C2Compiler") || frame.contains("C1Compiler")) {
                return "JIT";
            }
            if (frame.contains("GC") || frame.contains("PSPromotion") || frame.contains("PSScavenge")) {
                return "GC";
            }
        }
        return "other threads";
    }

    /** Self time's group: kernel, JVM native code, or a Java package (three or four levels). */
    private static String group(String frame) {
        if (frame.endsWith("_[k]")) {
            return "kernel";
        }
        int method = frame.lastIndexOf('.');
        int slash = frame.lastIndexOf('/');
        if (slash < 0 || method < slash) {
            return "JVM and native";
        }
        String[] parts = frame.substring(0, slash).split("/");
        int depth = parts[0].equals("java") || parts[0].equals("jdk") || parts[0].equals("sun") ? 3 : 4;
        return String.join(".", java.util.Arrays.copyOf(parts, Math.min(depth, parts.length)));
    }
}
