package dev.spindle.bench.linalg;

import dev.spindle.bench.workload.BatchSizes;
import dev.spindle.bench.workload.GemmBatch;
import dev.spindle.bench.workload.TwoLevelExecution;
import dev.spindle.bench.workload.Variant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W1 and W3 with Spindle and the two single-level variants measured side by side: one operation
 * runs the batch once in each of {@code spindle}, {@code outer-only} and {@code inner-only}, in an
 * order that rotates from one operation to the next, and the milliseconds each variant took are
 * summed in the {@link Times} counters. So the three share every spell of the host, and the
 * ratio of their sums in one iteration is the comparison the targets ask for.
 *
 * <p>Why it exists: on this shared VM the speed of a core drifts over tens of seconds, and a
 * JMH run of {@link ManyProductsBenchmark} or {@link SkewedBatchBenchmark} measures one variant
 * for about 12 s, then the next. The same jar gave Spindle between 0.87 and 1.20 of
 * {@code outer-only}'s speed on W1 within ten minutes. Here the variants alternate batch by
 * batch. The per-variant classes remain the reference for each variant's own time, threads and
 * switches; this one is for their ratios.
 *
 * <p>All three pools stay open for the whole trial; the two that are not running park their
 * threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class PairedBatchBenchmark {

    /** {@code w1} (6 products of 1024²), {@code w3-skewed} or {@code w3-balanced} (as in SkewedBatchBenchmark). */
    @Param({"w1", "w3-skewed", "w3-balanced"})
    public String workload;

    private static final Variant[] VARIANTS = {Variant.SPINDLE, Variant.OUTER_ONLY, Variant.INNER_ONLY};

    private GemmBatch batch;
    private final TwoLevelExecution[] executions = new TwoLevelExecution[VARIANTS.length];
    private int rotation;

    /**
     * Milliseconds spent in each variant during the iteration, summed over its operations (JMH
     * reports {@code EVENTS} counters as totals). Divide two of them for a side-by-side ratio.
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Times {
        public double spindleMillis;
        public double outerOnlyMillis;
        public double innerOnlyMillis;
    }

    @Setup(Level.Trial)
    public void setUp() {
        int[] sizes;
        switch (workload) {
            case "w1":
                sizes = BatchSizes.uniform(6, 1024);
                break;
            case "w3-skewed":
                sizes = BatchSizes.skewed(48, 128);
                break;
            case "w3-balanced":
                sizes = BatchSizes.balancedLike(48, 128);
                break;
            default:
                throw new IllegalArgumentException("workload must be w1, w3-skewed or w3-balanced, was " + workload);
        }
        batch = new GemmBatch(sizes, 42);
        for (int v = 0; v < VARIANTS.length; v++) {
            executions[v] = TwoLevelExecution.open(VARIANTS[v]);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (TwoLevelExecution execution : executions) {
            if (execution != null) {
                execution.close();
            }
        }
    }

    /** One batch in each variant, the first variant rotating; the times go to {@code times}. */
    @Benchmark
    public GemmBatch allThree(Times times) {
        int first = rotation;
        rotation = (rotation + 1) % VARIANTS.length;
        for (int k = 0; k < VARIANTS.length; k++) {
            int v = (first + k) % VARIANTS.length;
            long start = System.nanoTime();
            batch.run(executions[v]);
            double millis = (System.nanoTime() - start) * 1e-6;
            switch (VARIANTS[v]) {
                case SPINDLE:
                    times.spindleMillis += millis;
                    break;
                case OUTER_ONLY:
                    times.outerOnlyMillis += millis;
                    break;
                default:
                    times.innerOnlyMillis += millis;
                    break;
            }
        }
        return batch;
    }
}
