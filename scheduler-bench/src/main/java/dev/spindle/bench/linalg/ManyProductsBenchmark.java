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
 * W1: {@code count} independent products of {@code n × n} matrices inside a thread pool — the
 * Python experiment of NumPy products in a {@code ThreadPool} over a threaded BLAS — in every
 * {@link Variant}. Time per batch, and (from {@link ThreadCounters}) peak threads and context
 * switches per batch. The fork runs with the Vector API module, so Spindle's kernels (and
 * {@code SerialBlas}, which the serial baselines use) are the Vector API ones.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class ManyProductsBenchmark {

    /** Which {@link Variant} runs the batch, by id. */
    @Param({"serial", "inner-only", "outer-only", "naive-nested", "ojalgo-default", "fjp-nested", "spindle"})
    public String variant;

    /** Products per batch. */
    @Param({"6"})
    public int count;

    /** Matrix order. */
    @Param({"1024"})
    public int n;

    private GemmBatch batch;
    private TwoLevelExecution execution;

    @Setup(Level.Trial)
    public void setUp() {
        ThreadCounters.recordBaseline();
        Variant chosen = Variant.fromId(variant);
        batch = new GemmBatch(BatchSizes.uniform(count, n), 42);
        batch.prepareFor(chosen);
        execution = TwoLevelExecution.open(chosen);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        execution.close();
    }

    @Benchmark
    public GemmBatch products(ThreadCounters counters) {
        batch.run(execution);
        counters.operationDone();
        return batch;
    }
}
