package dev.spindle.bench.measure;

import dev.spindle.bench.workload.Variant;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts threads and context switches over a window of work: {@link #open()} before, {@link
 * #close()} after, never inside the measured loop (each reading lists and reads one file per
 * thread).
 *
 * <p><b>Context switches</b> are the sum, over the threads alive at the reading, of
 * {@code voluntary_ctxt_switches} and {@code nonvoluntary_ctxt_switches} in
 * {@code /proc/self/task/<tid>/status}. ({@code /proc/self/status} alone holds the main thread's
 * counts only.) A window subtracts thread by thread (by OS thread id): a thread started inside the
 * window counts in full, and one that exits inside it (a JIT compiler thread, an idle common-pool
 * worker) is left out rather than subtracted, so close the window before the pools under test shut
 * down.
 * Every thread of the JVM is summed (JIT, GC, JMH's own), which adds a small, variant-independent
 * floor. Where {@code /proc/self/task} does not exist the counts are zero and
 * {@link #isContextSwitchCountAvailable()} says so.
 *
 * <p><b>Peak threads</b> is {@link ThreadMXBean#getPeakThreadCount()} after
 * {@link ThreadMXBean#resetPeakThreadCount()} at the start of the window: the most live Java threads
 * at any moment in it (JVM-internal native threads such as GC workers are not Java threads and not
 * counted). {@link Window#baselineThreads()} is the count the caller gives as "before any pool under
 * test existed", so {@code peak - baseline} is the threads the variant added.
 *
 * <p>Thread safety: the static readings may be called from any thread; a window belongs to the
 * thread that opened it. Peak counting is JVM-wide: two windows open at once disturb each other.
 */
public final class ThreadCensus {

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCensus() {
    }

    /** Whether per-thread context-switch counts can be read here (Linux). */
    public static boolean isContextSwitchCountAvailable() {
        return Files.isDirectory(TASKS);
    }

    /** Live Java threads now. */
    public static int liveThreads() {
        return THREADS.getThreadCount();
    }

    /**
     * The baseline for {@code variant}: {@link #liveThreads()} minus the idle threads, left by an
     * earlier variant, of the one shared pool this variant uses itself (the common pool for
     * {@code fjp-nested}, ojAlgo's daemon pool for {@code ojalgo-default}). Those pools keep idle
     * threads for up to a minute; measured against this baseline, a variant counts its own pool's
     * threads whether or not an earlier variant started them, and never another variant's.
     */
    public static int baselineFor(Variant variant) {
        String sharedPool = variant.sharedPoolThreadPrefix();
        if (sharedPool == null) {
            return liveThreads();
        }
        int ownIdle = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().startsWith(sharedPool)) {
                ownIdle++;
            }
        }
        return Math.max(0, liveThreads() - ownIdle);
    }

    /** The sum over the live threads of this process (see the class comment). */
    public static ContextSwitches contextSwitches() {
        long voluntary = 0;
        long involuntary = 0;
        for (ContextSwitches thread : perThread().values()) {
            voluntary += thread.voluntary();
            involuntary += thread.involuntary();
        }
        return new ContextSwitches(voluntary, involuntary);
    }

    /** Each live thread's switches, by OS thread id; empty where /proc/self/task is absent. */
    static Map<String, ContextSwitches> perThread() {
        Map<String, ContextSwitches> threads = new HashMap<>();
        if (!isContextSwitchCountAvailable()) {
            return threads;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                long voluntary = 0;
                long involuntary = 0;
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            voluntary = value(line);
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            involuntary = value(line);
                        }
                    }
                } catch (IOException exited) {
                    continue;                            // ended between the listing and the read
                }
                threads.put(task.getFileName().toString(), new ContextSwitches(voluntary, involuntary));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + TASKS, e);
        }
        return threads;
    }

    /**
     * The switches between two {@link #perThread()} readings: for each thread alive at the second,
     * its count minus its count at the first (or its whole count if it started in between). A
     * thread that ended in between is left out, so the result is never negative.
     */
    static ContextSwitches between(Map<String, ContextSwitches> first, Map<String, ContextSwitches> second) {
        long voluntary = 0;
        long involuntary = 0;
        for (Map.Entry<String, ContextSwitches> entry : second.entrySet()) {
            ContextSwitches delta = entry.getValue().minus(first.getOrDefault(entry.getKey(), ContextSwitches.NONE));
            voluntary += Math.max(0, delta.voluntary());
            involuntary += Math.max(0, delta.involuntary());
        }
        return new ContextSwitches(voluntary, involuntary);
    }

    private static long value(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
    }

    /** Opens a window with the current live thread count as baseline. */
    public static Window open() {
        return open(liveThreads());
    }

    /** Opens a window; {@code baselineThreads} is the live count before the pools under test existed. */
    public static Window open(int baselineThreads) {
        return new Window(baselineThreads);
    }

    /** One measurement window; {@link #close()} gives the counts. */
    public static final class Window {
        private final int baselineThreads;
        private final Map<String, ContextSwitches> start;

        private Window(int baselineThreads) {
            this.baselineThreads = baselineThreads;
            THREADS.resetPeakThreadCount();
            this.start = perThread();
        }

        /** The baseline given at opening. */
        public int baselineThreads() {
            return baselineThreads;
        }

        /** Ends the window: the peak thread count and the switches since it opened. */
        public Census close() {
            ContextSwitches switches = between(start, perThread());
            return new Census(baselineThreads, THREADS.getPeakThreadCount(), switches);
        }
    }

    /**
     * What a window saw: the baseline, the peak live Java threads, and the context switches.
     */
    public record Census(int baselineThreads, int peakThreads, ContextSwitches switches) {

        /** Threads above the baseline at the peak: what the variant under test added. */
        public int peakThreadsAboveBaseline() {
            return Math.max(0, peakThreads - baselineThreads);
        }

        /**
         * This window and a later one of the same variant together: the baseline and peak of the
         * window in which the variant added more threads, and the switches of both. (The highest peak
         * against the lowest baseline would mix windows: idle threads another variant left alive
         * raise both the baseline and the peak of a later window, and would count as added.)
         */
        public Census merge(Census later) {
            Census most = later.peakThreadsAboveBaseline() > peakThreadsAboveBaseline() ? later : this;
            return new Census(most.baselineThreads, most.peakThreads, switches.plus(later.switches));
        }
    }
}
