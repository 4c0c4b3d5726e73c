package dev.spindle.bench.linalg;

import dev.spindle.bench.workload.BatchSizes;
import dev.spindle.bench.workload.GemmBatch;
import dev.spindle.bench.workload.PowerMethodBatch;
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
 * The nested batches W1–W3 at any worker count: Spindle (one scheduler of {@code workers}
 * workers at both levels) and its single-level baseline {@code outer-only} (a fixed pool of
 * {@code workers} threads over the items, serial kernels inside), for the scaling sweep
 * ({@code scheduler-bench/scaling/scaling.sh}). The per-variant classes ({@link ManyProductsBenchmark},
 * {@link EigenBatchBenchmark}, {@link SkewedBatchBenchmark}) size every pool to the machine; this one
 * takes the size as a parameter, so one machine gives the whole curve.
 *
 * <p>Workloads, as in those classes: {@code w1} six products of 1024²; {@code w2} the power
 * method on 32 symmetric 256² matrices; {@code w3-skewed} 48 products of 128² and the large ones
 * {@link BatchSizes#skewed} adds. W1 has fewer items than a large machine has cores, so only the
 * inner level can fill them: that is where the two variants part.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class BatchScalingBenchmark {

    /** {@code w1}, {@code w2} or {@code w3-skewed}. */
    @Param({"w1", "w2", "w3-skewed"})
    public String workload;

    /** {@code spindle} or {@code outer-only}. */
    @Param({"spindle", "outer-only"})
    public String variant;

    /** Spindle workers, or the fixed pool's threads. Any value from 1 up. */
    @Param({"1", "2"})
    public int workers;

    private GemmBatch products;
    private PowerMethodBatch eigenvalues;
    private TwoLevelExecution execution;

    @Setup(Level.Trial)
    public void setUp() {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        Variant chosen = Variant.fromId(variant);
        if (chosen != Variant.SPINDLE && chosen != Variant.OUTER_ONLY) {
            throw new IllegalArgumentException("variant must be spindle or outer-only, was " + variant);
        }
        switch (workload) {
            case "w1":
                products = new GemmBatch(BatchSizes.uniform(6, 1024), 42);
                break;
            case "w2":
                eigenvalues = new PowerMethodBatch(32, 256, 42);
                break;
            case "w3-skewed":
                products = new GemmBatch(BatchSizes.skewed(48, 128), 42);
                break;
            default:
                throw new IllegalArgumentException("workload must be w1, w2 or w3-skewed, was " + workload);
        }
        execution = TwoLevelExecution.open(chosen, workers, workers);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (execution != null) {
            execution.close();
        }
    }

    /** One batch. */
    @Benchmark
    public Object batch() {
        if (products != null) {
            products.run(execution);
            return products;
        }
        eigenvalues.run(execution);
        return eigenvalues;
    }
}
