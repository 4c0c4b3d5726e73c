package dev.spindle.spark.bench;

import dev.spindle.spark.bench.CpuTimeline.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Samples this JVM's threads and the machine every few milliseconds while a stage runs: how many
 * threads the JVM has ({@code /proc/self/task}), and how many threads the machine has running or
 * runnable ({@code procs_running} of {@code /proc/stat}, less the sampler; the harness measures on
 * an otherwise quiet machine, so these are the JVM's). Given a {@link CpuTimeline}, it also feeds
 * it the CPU time of this JVM's threads by kind, and the machine's steal and idle time.
 *
 * <p>Cheap by design, since it shares the cores it measures: a thread's kind is read once (its
 * {@code comm}); per sample only the threads of a kind other than {@link Kind#OTHER} have their
 * {@code schedstat} read, and {@code OTHER} is the process's total ({@code /proc/self/stat}, in
 * clock ticks) less the rest. An earlier version read every thread's {@code stat} and
 * {@code schedstat} each sample, and took a third of a core.
 *
 * <p>Linux only; elsewhere every figure stays 0. One sampler thread, started by {@link #start} and
 * stopped by {@link #stop}; the figures are read after {@code stop} returns (the join orders them).
 */
final class ThreadSampler {

    private static final Path TASKS = Paths.get("/proc/self/task");
    private static final Path PROC_STAT = Paths.get("/proc/stat");
    private static final Path SELF_STAT = Paths.get("/proc/self/stat");
    /** {@code /proc} counts process and machine times in clock ticks of 10 ms (USER_HZ = 100 on Linux). */
    private static final long NANOS_PER_TICK = 10_000_000;

    private final long intervalMillis;
    private final CpuTimeline timeline;
    private volatile boolean running;
    private Thread thread;
    private int peakThreads;
    private int peakRunning;
    private long runningSum;
    private long samples;

    private final Map<Integer, Kind> kinds = new HashMap<>();
    private final Map<Integer, Long> lastRuntime = new HashMap<>();
    private long lastSampleNanos;
    private long lastProcessNanos = -1;
    private long lastSteal = -1;
    private long lastIdle = -1;

    ThreadSampler(long intervalMillis) {
        this(intervalMillis, null);
    }

    /** A sampler that also feeds {@code timeline} (may be {@code null}). */
    ThreadSampler(long intervalMillis, CpuTimeline timeline) {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("intervalMillis must be at least 1, was " + intervalMillis);
        }
        this.intervalMillis = intervalMillis;
        this.timeline = timeline;
    }

    /** Starts sampling; the first reading (every counter's starting point) is taken before this returns. */
    void start() {
        if (Files.isDirectory(TASKS)) {
            sample(false);
        }
        running = true;
        thread = new Thread(this::sampleUntilStopped, "thread-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    int peakThreads() {
        return peakThreads;
    }

    /** The most threads running or runnable on the machine at one sample, the sampler not counted. */
    int peakRunning() {
        return peakRunning;
    }

    /** The mean of the threads running or runnable on the machine over the samples, the sampler not counted. */
    double meanRunning() {
        return samples == 0 ? 0 : (double) runningSum / samples;
    }

    private void sampleUntilStopped() {
        if (!Files.isDirectory(TASKS)) {
            return;
        }
        while (running) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            sample(true);
        }
        sample(true);
    }

    private void sample(boolean count) {
        long now = System.nanoTime();
        int threads = 0;
        Map<Kind, Long> used = new EnumMap<>(Kind.class);
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                threads++;
                if (timeline == null) {
                    continue;
                }
                int tid = Integer.parseInt(task.getFileName().toString());
                Kind kind = kinds.computeIfAbsent(tid, unused -> Kind.of(read(task.resolve("comm")).trim()));
                if (kind == Kind.OTHER) {
                    continue;
                }
                long runtime = runtimeNanos(task);
                if (runtime < 0) {
                    continue;                                // ended while listed
                }
                Long last = lastRuntime.put(tid, runtime);
                // A thread first seen after the first sample started since: all its time counts.
                long delta = runtime - (last == null ? (lastSampleNanos == 0 ? runtime : 0) : last);
                used.merge(kind, Math.max(0, delta), Long::sum);
            }
        } catch (IOException | RuntimeException raced) {
            return;                                      // a thread ended while listed: skip the sample
        }
        String procStat = read(PROC_STAT);
        if (timeline != null) {
            feed(used, procStat, now);
        }
        lastSampleNanos = now;
        if (!count) {
            return;
        }
        int runnable = Math.max(0, procsRunning(procStat) - 1);     // the sampler reads while running
        peakThreads = Math.max(peakThreads, threads);
        peakRunning = Math.max(peakRunning, runnable);
        runningSum += runnable;
        samples++;
    }

    private void feed(Map<Kind, Long> used, String procStat, long now) {
        long process = processNanos();
        long[] machine = stealAndIdleTicks(procStat);
        if (lastSampleNanos != 0) {
            long known = 0;
            for (Map.Entry<Kind, Long> entry : used.entrySet()) {
                timeline.addThreads(entry.getKey(), entry.getValue(), lastSampleNanos, now);
                known += entry.getValue();
            }
            if (process >= 0 && lastProcessNanos >= 0) {
                timeline.addThreads(Kind.OTHER, Math.max(0, process - lastProcessNanos - known), lastSampleNanos, now);
            }
            if (machine != null && lastSteal >= 0) {
                timeline.addMachine((machine[0] - lastSteal) * NANOS_PER_TICK, (machine[1] - lastIdle) * NANOS_PER_TICK,
                        lastSampleNanos, now);
            }
        }
        lastProcessNanos = process;
        if (machine != null) {
            lastSteal = machine[0];
            lastIdle = machine[1];
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (IOException ended) {
            return "";
        }
    }

    /** Nanoseconds the thread has run on a CPU (first field of {@code schedstat}), or -1 if it ended. */
    private static long runtimeNanos(Path task) {
        String schedstat = read(task.resolve("schedstat"));
        int space = schedstat.indexOf(' ');
        try {
            return Long.parseLong(space < 0 ? schedstat.trim() : schedstat.substring(0, space));
        } catch (NumberFormatException ended) {
            return -1;
        }
    }

    /** This process's user and system time ({@code /proc/self/stat} fields 14 and 15), or -1. */
    private static long processNanos() {
        String stat = read(SELF_STAT);
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return -1;
        }
        String[] fields = stat.substring(end + 2).split(" ");
        try {
            // fields[0] is field 3 (state): utime is field 14, stime field 15.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (RuntimeException unexpected) {
            return -1;
        }
    }

    /** Steal and idle ticks of all CPUs (the {@code cpu} line of {@code /proc/stat}), or {@code null}. */
    private static long[] stealAndIdleTicks(String procStat) {
        if (!procStat.startsWith("cpu ")) {
            return null;
        }
        String[] fields = procStat.substring(4, procStat.indexOf('\n')).trim().split(" +");
        try {
            // user nice system idle iowait irq softirq steal ...
            return new long[] {Long.parseLong(fields[7]), Long.parseLong(fields[3]) + Long.parseLong(fields[4])};
        } catch (RuntimeException unexpected) {
            return null;
        }
    }

    private static int procsRunning(String procStat) {
        int at = procStat.indexOf("procs_running ");
        if (at < 0) {
            return 0;
        }
        int end = procStat.indexOf('\n', at);
        try {
            return Integer.parseInt(procStat.substring(at + "procs_running ".length(), end < 0 ? procStat.length() : end).trim());
        } catch (NumberFormatException unexpected) {
            return 0;
        }
    }
}
