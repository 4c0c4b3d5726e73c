package dev.spindle.spark.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a stage's core time went: the CPU time of each {@link Kind} of thread, and the machine's
 * steal and idle time, in bins of a fixed length, from what {@link ThreadSampler} reads
 * ({@code schedstat} of the threads: nanoseconds on a CPU, so JIT compiler and GC threads, which
 * are not Java threads, count too; {@code /proc/stat} for steal and idle). What was used between
 * two samples is spread evenly over the bins between them.
 *
 * <p>Fed by the sampler thread only; read after the sampler stopped (its join orders the reads).
 */
final class CpuTimeline {

    /**
     * Kinds of thread, told apart by the name the kernel shows (Java names cut to 15 characters).
     * {@link #OTHER} is the process's CPU time less every other kind's.
     */
    enum Kind {
        /** Spark's task threads ("Executor task launch worker ..."): the task bodies, and the serial kernels. */
        SPARK_TASK("task"),
        /** The global Spindle's workers: the plugin's kernels. */
        SPINDLE("spindle"),
        /** The workers of variant (b)'s pools of their own ("task-pool-N-worker-M"). */
        OWN_POOL("own pools"),
        /** HotSpot's compiler threads. */
        JIT("jit"),
        /** Garbage collector and VM threads. */
        GC("gc"),
        /** The harness's own sampler ({@link ThreadSampler}): what the measuring costs. */
        SAMPLER("sampler"),
        /** Everything else: Spark's scheduler, netty, the driver's listener bus (the JVM's total less the kinds above). */
        OTHER("other");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        static Kind of(String comm) {
            if (comm.startsWith("Executor task")) {
                return SPARK_TASK;
            }
            if (comm.startsWith("spindle-worker")) {
                return SPINDLE;
            }
            if (comm.startsWith("task-pool-")) {
                return OWN_POOL;
            }
            if (comm.startsWith("thread-sampler")) {
                return SAMPLER;
            }
            if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                return JIT;
            }
            if (comm.startsWith("GC ") || comm.startsWith("G1 ") || comm.startsWith("VM Thread")
                    || comm.startsWith("VM Periodic")) {
                return GC;
            }
            return OTHER;
        }
    }

    /** Columns after the thread kinds: the machine's steal (host time taken from this VM) and idle time. */
    private static final int STEAL = Kind.values().length;
    private static final int IDLE = STEAL + 1;
    private static final int COLUMNS = IDLE + 1;

    private final int cores;
    private final long startNanos;
    private final long binNanos;
    private final List<long[]> bins = new ArrayList<>();

    CpuTimeline(int cores, long startNanos, long binMillis) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be at least 1, was " + cores);
        }
        if (binMillis < 1) {
            throw new IllegalArgumentException("binMillis must be at least 1, was " + binMillis);
        }
        this.cores = cores;
        this.startNanos = startNanos;
        this.binNanos = binMillis * 1_000_000;
    }

    /** {@code nanos} of CPU time used by threads of {@code kind} between two samples. */
    void addThreads(Kind kind, long nanos, long fromNanos, long toNanos) {
        spread(kind.ordinal(), nanos, fromNanos, toNanos);
    }

    /** The machine's steal and idle time between two samples (all CPUs, from {@code /proc/stat}). */
    void addMachine(long stealNanos, long idleNanos, long fromNanos, long toNanos) {
        spread(STEAL, stealNanos, fromNanos, toNanos);
        spread(IDLE, idleNanos, fromNanos, toNanos);
    }

    /** Puts {@code nanos} into the bins the interval covers, each its share: samples do not line up with bins. */
    private void spread(int column, long nanos, long fromNanos, long toNanos) {
        if (nanos <= 0) {
            return;
        }
        long from = Math.max(fromNanos, startNanos);
        long to = Math.max(toNanos, from + 1);
        for (long at = from; at < to; ) {
            int bin = (int) ((at - startNanos) / binNanos);
            long binEnd = startNanos + (bin + 1) * binNanos;
            long until = Math.min(binEnd, to);
            while (bins.size() <= bin) {
                bins.add(new long[COLUMNS]);
            }
            bins.get(bin)[column] += nanos * (until - at) / (to - from);
            at = until;
        }
    }

    long binNanos() {
        return binNanos;
    }

    long startNanos() {
        return startNanos;
    }

    int binCount() {
        return bins.size();
    }

    private long between(int column, long fromNanos, long toNanos) {
        long sum = 0;
        for (int bin = 0; bin < bins.size(); bin++) {
            long binStart = startNanos + bin * binNanos;
            if (binStart >= fromNanos && binStart < toNanos) {
                sum += bins.get(bin)[column];
            }
        }
        return sum;
    }

    /** CPU nanoseconds of {@code kind} over bins whose start lies in {@code [fromNanos, toNanos)}. */
    long cpuBetween(Kind kind, long fromNanos, long toNanos) {
        return between(kind.ordinal(), fromNanos, toNanos);
    }

    /** Total CPU nanoseconds of {@code kind}. */
    long cpu(Kind kind) {
        return cpuBetween(kind, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The machine's steal nanoseconds over the whole timeline. */
    long steal() {
        return between(STEAL, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The machine's idle nanoseconds over the whole timeline. */
    long idle() {
        return between(IDLE, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** One line per bin: time from the start, then the cores each kind used, the cores stolen by the host and idle. */
    String render() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%7s", "ms"));
        for (Kind kind : Kind.values()) {
            out.append(String.format(Locale.ROOT, " %9s", kind.label));
        }
        out.append(String.format(Locale.ROOT, " %9s %9s%n", "steal", "idle"));
        for (int bin = 0; bin < bins.size(); bin++) {
            out.append(String.format(Locale.ROOT, "%7d", bin * binNanos / 1_000_000));
            for (int column = 0; column < COLUMNS; column++) {
                out.append(String.format(Locale.ROOT, " %9.2f", (double) bins.get(bin)[column] / binNanos));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
