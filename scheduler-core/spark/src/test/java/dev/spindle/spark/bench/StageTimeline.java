package dev.spindle.spark.bench;

import dev.spindle.spark.bench.CpuTimeline.Kind;
import java.util.List;
import java.util.Locale;

/**
 * One stage's timeline: its tasks' spans ({@link TaskSpans}) and where the cores' time went
 * ({@link CpuTimeline}), with the figures that say where a stage loses time against the ideal of
 * all its kernel work spread evenly over the cores:
 * <ul>
 *   <li>Spark's overhead: the stage's time as Spark reports it, less the time from the first task
 *       body's start to the last one's end;
 *   <li>the tail: from the end of the second-to-last task body to the end of the last, when one
 *       task is left, and the cores the kernels used in it;
 *   <li>the cores used by JIT compilers, GC, the sampler and everything else, and the machine's
 *       steal (time the host gave this VM's CPUs to others) and idle time, over the whole
 *       sampled window (the stage, and a few milliseconds either side).
 * </ul>
 * Immutable once built; read by the harness's thread.
 */
final class StageTimeline {

    private final String job;
    private final String variant;
    private final int cores;
    private final long sparkStageMillis;
    private final List<TaskSpans.Span> spans;
    private final CpuTimeline cpu;

    StageTimeline(String job, String variant, int cores, long sparkStageMillis, List<TaskSpans.Span> spans,
                  CpuTimeline cpu) {
        if (spans.isEmpty()) {
            throw new IllegalArgumentException("no task spans for " + job + " " + variant);
        }
        this.job = job;
        this.variant = variant;
        this.cores = cores;
        this.sparkStageMillis = sparkStageMillis;
        this.spans = List.copyOf(spans);
        this.cpu = cpu;
    }

    private long firstStart() {
        return spans.stream().mapToLong(TaskSpans.Span::startNanos).min().orElseThrow();
    }

    private long lastEnd() {
        return spans.stream().mapToLong(TaskSpans.Span::endNanos).max().orElseThrow();
    }

    /** The end of the task body that ended second to last: from then on one task runs alone. */
    private long tailStart() {
        long[] ends = spans.stream().mapToLong(TaskSpans.Span::endNanos).sorted().toArray();
        return ends.length < 2 ? ends[0] : ends[ends.length - 2];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** Kernel work: the CPU time of the threads that run products (task threads and pool workers). */
    private long kernelCpu(long from, long to) {
        return cpu.cpuBetween(Kind.SPARK_TASK, from, to) + cpu.cpuBetween(Kind.SPINDLE, from, to)
                + cpu.cpuBetween(Kind.OWN_POOL, from, to);
    }

    /** The header of {@link #summaryRow}'s table. */
    static String summaryHeader() {
        return "| job | variant | Spark stage (ms) | bodies (ms) | kernel CPU / cores (ms) | last task starts at (ms) "
                + "| tail (ms) | kernel cores in tail | JIT (core ms) | GC (core ms) | sampler (core ms) | other (core ms) "
                + "| steal (core ms) | idle (core ms) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    }

    /** One row: where this stage's time went. */
    String summaryRow() {
        long first = firstStart();
        long last = lastEnd();
        long tailStart = tailStart();
        long lastStart = spans.stream().mapToLong(TaskSpans.Span::startNanos).max().orElseThrow();
        double bodies = millis(last - first);
        double kernel = millis(kernelCpu(Long.MIN_VALUE, Long.MAX_VALUE));
        double tail = millis(last - tailStart);
        double tailCores = tail <= 0 ? 0 : millis(kernelCpu(tailStart, last)) / tail;
        return String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %.0f | %.0f | %.2f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
                job, variant, sparkStageMillis, bodies, kernel / cores, millis(lastStart - first), tail, tailCores,
                millis(cpu.cpu(Kind.JIT)), millis(cpu.cpu(Kind.GC)), millis(cpu.cpu(Kind.SAMPLER)),
                millis(cpu.cpu(Kind.OTHER)), millis(cpu.steal()), millis(cpu.idle()));
    }

    /** The task spans (start, end, products, each product's time) and the CPU bins, for reading by eye. */
    String render() {
        long first = firstStart();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "### %s, %s: Spark stage %d ms%n%n```%n",
                job, variant, sparkStageMillis));
        for (TaskSpans.Span span : spans) {
            out.append(String.format(Locale.ROOT, "partition %3d: %2d products, %7.1f .. %7.1f ms; products (ms):",
                    span.partition(), span.products(), millis(span.startNanos() - first),
                    millis(span.endNanos() - first)));
            long previous = span.startNanos();
            for (long end : span.productEndNanos()) {
                out.append(String.format(Locale.ROOT, " %.0f", millis(end - previous)));
                previous = end;
            }
            out.append('\n');
        }
        out.append(String.format(Locale.ROOT, "%ncores used per %d ms (from the sampler's start, %.1f ms before the first task body)%n",
                cpu.binNanos() / 1_000_000, millis(first - cpu.startNanos())));
        out.append(cpu.render()).append("```\n\n");
        return out.toString();
    }
}
