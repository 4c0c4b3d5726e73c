package dev.spindle.bench.linalg;

import dev.spindle.bench.measure.ThreadCounters;
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
 * W2: the dominant eigenvalue of {@code count} symmetric {@code n × n} matrices by power iteration
 * ({@link PowerMethodBatch}), the outer level over matrices and a GEMV that is itself parallel.
 * The case where the inner level should cost nothing because the outer one fills the cores.
 * ({@code ojalgo-default} does not apply: there is no ojAlgo kernel in this loop.)
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class EigenBatchBenchmark {

    /** Which {@link Variant} runs the batch, by id. */
    @Param({"serial", "inner-only", "outer-only", "naive-nested", "fjp-nested", "spindle"})
    public String variant;

    /** Matrices per batch. */
    @Param({"32"})
    public int count;

    /** Matrix order (256: large enough that Spindle's GEMV splits when the workers are idle). */
    @Param({"256"})
    public int n;

    private PowerMethodBatch batch;
    private TwoLevelExecution execution;

    @Setup(Level.Trial)
    public void setUp() {
        ThreadCounters.recordBaseline();
        batch = new PowerMethodBatch(count, n, 42);
        execution = TwoLevelExecution.open(Variant.fromId(variant));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        execution.close();
    }

    @Benchmark
    public PowerMethodBatch eigenvalues(ThreadCounters counters) {
        batch.run(execution);
        counters.operationDone();
        return batch;
    }
}
