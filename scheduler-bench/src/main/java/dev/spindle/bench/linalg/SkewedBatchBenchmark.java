package dev.spindle.bench.linalg;

import dev.spindle.bench.measure.ThreadCounters;
import dev.spindle.bench.workload.BatchSizes;
import dev.spindle.bench.workload.GemmBatch;
import dev.spindle.bench.workload.TwoLevelExecution;
import dev.spindle.bench.workload.Variant;
import java.util.concurrent.TimeUnit;
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
 * W3: a batch of products whose sizes are {@code balanced} (all equal) or {@code skewed} (many
 * small and one large with three times the flops of all the small ones together, in the middle of
 * the list; see {@link BatchSizes}), with the same number of items and total flops in both shapes. The published
 * finding this reproduces: a static split wins when the outer work is balanced; a shared dynamic
 * scheduler wins when it is not.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class SkewedBatchBenchmark {

    /** Which {@link Variant} runs the batch, by id. */
    @Param({"serial", "inner-only", "outer-only", "naive-nested", "ojalgo-default", "fjp-nested", "spindle"})
    public String variant;

    /** {@code balanced} or {@code skewed}. */
    @Param({"balanced", "skewed"})
    public String shape;

    /** Small products in the skewed batch (the balanced one has as many items in all). */
    @Param({"48"})
    public int smallCount;

    /** Order of the small products. */
    @Param({"128"})
    public int smallN;

    private GemmBatch batch;
    private TwoLevelExecution execution;

    @Setup(Level.Trial)
    public void setUp() {
        ThreadCounters.recordBaseline();
        Variant chosen = Variant.fromId(variant);
        int[] sizes;
        switch (shape) {
            case "balanced":
                sizes = BatchSizes.balancedLike(smallCount, smallN);
                break;
            case "skewed":
                sizes = BatchSizes.skewed(smallCount, smallN);
                break;
            default:
                throw new IllegalArgumentException("shape must be balanced or skewed, was " + shape);
        }
        batch = new GemmBatch(sizes, 42);
        batch.prepareFor(chosen);
        execution = TwoLevelExecution.open(chosen);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        execution.close();
    }

    @Benchmark
    public GemmBatch batch(ThreadCounters counters) {
        batch.run(execution);
        counters.operationDone();
        return batch;
    }
}
