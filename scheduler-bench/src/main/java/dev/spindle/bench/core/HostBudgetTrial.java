package dev.spindle.bench.core;

import dev.spindle.bench.workload.ForkJoinFib;
import dev.spindle.bench.workload.NestedRowUpdate;
import dev.spindle.core.Scheduler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Several JVMs, each with parallelism equal to the cores, running the same CPU-bound work at
 * once: first without a host budget, then all naming one. For each run it prints the total time
 * (start of the first JVM to exit of the last), the peak and mean number of worker threads in
 * state R (running or runnable) across all of them, sampled from {@code /proc/<pid>/task/*}/stat
 * every 2 ms, the sustained peak (the most seen in {@value #SUSTAINED_SAMPLES} samples in a row),
 * the peak CPUs the worker threads used together over {@value #CPU_WINDOW_MILLIS} ms windows (their
 * on-CPU time from {@code /proc/<pid>/task/*}/schedstat), and their involuntary context switches.
 * Linux only (it reads /proc). Then it kills a JVM that holds every token with {@code kill -9} and
 * reports how soon a waiting JVM has them ({@link HostBudgetRecoveryTrial}).
 *
 * <p>Only worker threads are counted: a thread whose name starts with {@code spindle-worker-}
 * (the global scheduler's workers and its spares), never the stall monitor
 * ({@code spindle-monitor}), JIT compiler, GC or other JVM threads. A worker in state R is not
 * always running a task: a worker woken for work scans and spins some microseconds before it
 * parks or needs a token, and one waiting for a token wakes every 0.1–1 ms to poll; state R also
 * means runnable, waiting in the run queue for a core, which such a poller may do for milliseconds
 * on a busy machine. So the R counts may pass the budget without any task running unbudgeted; the
 * CPU column is what the budget bounds (with a budget below the cores, set by
 * {@code -Dspindle.hostBudget.cores}). The hard bound (tasks running at once) is what
 * {@code HostBudgetChildJvmTest} checks.
 *
 * <p>Run: {@code java -jar benchmarks.jar host-budget [jvms] [fib-n]} (default 4 JVMs, fib 30).
 * The budget's name and size come from {@code -Dspindle.hostBudget} and
 * {@code -Dspindle.hostBudget.cores} given to this driver (default: {@code host-budget-trial-<tokens>},
 * the cores). The sample is not atomic across threads either, so a peak can overcount by a thread
 * that was just leaving state R.
 */
public final class HostBudgetTrial {

    /** Consecutive samples (2 ms apart) a count must hold to count for the sustained peak. */
    static final int SUSTAINED_SAMPLES = 3;
    /** The window over which the worker threads' CPU use is averaged for the peak CPU column. */
    static final long CPU_WINDOW_MILLIS = 50;

    private HostBudgetTrial() {
    }

    /** One JVM of the trial: fib on the global scheduler, then a nested parallel loop. */
    public static final class Child {
        public static void main(String[] args) {
            int n = Integer.parseInt(args[0]);
            Scheduler scheduler = Scheduler.global();
            long start = System.nanoTime();
            long sum = 0;
            for (int round = 0; round < 3; round++) {
                sum += scheduler.invoke(() -> ForkJoinFib.onSpindle(scheduler, n));
            }
            double[][] rows = new double[512][8192];
            for (int round = 0; round < 40; round++) {
                NestedRowUpdate.run(scheduler, rows, 256);
            }
            System.out.println("child done in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                    + " ms (" + sum + ", " + rows[7][7] + ")");
        }
    }

    /** The driver; returns the exit status. */
    public static int run(String[] args, PrintStream out) throws Exception {
        int jvms = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int fib = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int cores = Runtime.getRuntime().availableProcessors();
        String budgetCores = System.getProperty("spindle.hostBudget.cores");
        // The default name carries the size: a budget's size is fixed once its files exist.
        String budget = System.getProperty("spindle.hostBudget",
                "host-budget-trial-" + (budgetCores != null ? budgetCores.trim() : Integer.toString(cores)));
        out.printf("%d JVMs, parallelism %d each, fib(%d) x3 + nested loops; budget '%s' of %s tokens%n",
                jvms, cores, fib, budget, budgetCores != null ? budgetCores : cores + " (the cores)");
        out.println("run          total ms  peak R workers  sustained peak  mean R workers  peak worker CPUs  involuntary switches");
        for (boolean budgeted : new boolean[] {false, true}) {
            List<String> extra = new ArrayList<>();
            extra.add("-Dspindle.parallelism=" + cores);
            if (budgeted) {
                extra.add("-Dspindle.hostBudget=" + budget);
                if (budgetCores != null) {
                    extra.add("-Dspindle.hostBudget.cores=" + budgetCores);
                }
            }
            Result result = trial(jvms, fib, extra);
            out.printf("%-12s %8d  %14d  %14d  %14.2f  %16.2f  %20d%n", budgeted ? "budget" : "no budget",
                    result.millis, result.peak, result.sustainedPeak, result.mean, result.peakCpus, result.involuntary);
            if (result.failed != null) {
                out.println("  a JVM failed: " + result.failed);
                return 1;
            }
        }
        int tokens = budgetCores != null ? Integer.parseInt(budgetCores.trim()) : cores;
        return HostBudgetRecoveryTrial.run(budget, tokens, out) ? 0 : 1;
    }

    private record Result(long millis, int peak, int sustainedPeak, double mean, double peakCpus, long involuntary,
                          String failed) {
    }

    private static Result trial(int jvms, int fib, List<String> extra) throws Exception {
        List<Process> children = new ArrayList<>();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        long start = System.nanoTime();
        try {
            for (int j = 0; j < jvms; j++) {
                List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path")));
                command.addAll(extra);
                command.add(Child.class.getName());
                command.add(Integer.toString(fib));
                children.add(new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            int peak = 0;
            int sustainedPeak = 0;
            int[] recent = new int[SUSTAINED_SAMPLES];
            // Per worker thread: nanoseconds on a CPU since it was first seen (its time before that
            // is no window's).
            Map<String, Long> onCpu = new HashMap<>();
            double peakCpus = 0;
            long windowStart = System.nanoTime();
            long windowCpuNanos = 0;
            long samples = 0;
            long runningSum = 0;
            Map<String, Long> involuntary = new HashMap<>();
            long nextSwitchRead = 0;
            long deadline = start + TimeUnit.MINUTES.toNanos(10);
            while (children.stream().anyMatch(Process::isAlive)) {
                if (System.nanoTime() - deadline > 0) {
                    return new Result(0, peak, sustainedPeak, 0, peakCpus, 0, "timed out after 10 minutes");
                }
                boolean readSwitches = System.nanoTime() - nextSwitchRead > 0;
                int running = 0;
                for (Process child : children) {
                    running += runningWorkers(child.pid(), readSwitches ? involuntary : null, onCpu);
                }
                long now = System.nanoTime();
                if (now - windowStart >= TimeUnit.MILLISECONDS.toNanos(CPU_WINDOW_MILLIS)) {
                    long cpuNanos = onCpu.values().stream().mapToLong(Long::longValue).sum();
                    peakCpus = Math.max(peakCpus, (double) (cpuNanos - windowCpuNanos) / (now - windowStart));
                    windowCpuNanos = cpuNanos;
                    windowStart = now;
                }
                if (readSwitches) {
                    nextSwitchRead = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                }
                peak = Math.max(peak, running);
                recent[(int) (samples % SUSTAINED_SAMPLES)] = running;
                if (samples >= SUSTAINED_SAMPLES - 1) {
                    sustainedPeak = Math.max(sustainedPeak, Arrays.stream(recent).min().orElse(0));
                }
                runningSum += running;
                samples++;
                Thread.sleep(2);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            for (Process child : children) {
                if (child.exitValue() != 0) {
                    return new Result(millis, peak, sustainedPeak, 0, peakCpus, 0, "exit status " + child.exitValue());
                }
            }
            long switches = involuntary.values().stream().mapToLong(Long::longValue).sum();
            return new Result(millis, peak, sustainedPeak, samples == 0 ? 0 : (double) runningSum / samples,
                    peakCpus, switches, null);
        } finally {
            children.forEach(Process::destroyForcibly);
        }
    }

    /**
     * Worker threads of {@code pid} in state R now; records each worker thread's time on a CPU so far
     * in {@code onCpu}, and if {@code involuntary} is given, each thread's involuntary context
     * switches (the last value seen per thread is kept in both).
     */
    private static int runningWorkers(long pid, Map<String, Long> involuntary, Map<String, Long> onCpu) {
        int running = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (IOException gone) {
                    continue;                            // the thread ended
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < 0 || close + 2 >= stat.length()) {
                    continue;
                }
                // comm is at most 15 characters: "spindle-worker-" for every worker and spare.
                if (stat.substring(open + 1, close).startsWith("spindle-worker")) {
                    if (stat.charAt(close + 2) == 'R') {
                        running++;
                    }
                    readOnCpu(pid + "/" + task.getFileName(), task, onCpu);
                }
                if (involuntary != null) {
                    readInvoluntary(pid + "/" + task.getFileName(), task, involuntary);
                }
            }
        } catch (IOException ended) {
            // the process ended
        }
        return running;
    }

    /**
     * The first field of schedstat, nanoseconds the thread has run on a CPU, less what it had when
     * first seen ({@link #FIRST_SEEN}).
     */
    private static void readOnCpu(String key, Path task, Map<String, Long> onCpu) {
        try {
            String schedstat = Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII).trim();
            int space = schedstat.indexOf(' ');
            long total = Long.parseLong(space < 0 ? schedstat : schedstat.substring(0, space));
            long before = FIRST_SEEN.computeIfAbsent(key, k -> total);
            onCpu.put(key, total - before);
        } catch (IOException | NumberFormatException gone) {
            // the thread ended (or the kernel keeps no schedstat): its last value stays
        }
    }

    /** Per thread (pid/tid): its on-CPU nanoseconds when the sampler first saw it. */
    private static final Map<String, Long> FIRST_SEEN = new HashMap<>();

    private static void readInvoluntary(String key, Path task, Map<String, Long> involuntary) {
        try {
            for (String line : Files.readAllLines(task.resolve("status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                    involuntary.put(key, Long.parseLong(line.substring(line.indexOf(':') + 1).trim()));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the thread ended
        }
    }
}
