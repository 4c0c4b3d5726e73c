package dev.spindle.bench.core;

import dev.spindle.bench.measure.BenchmarkParams;
import dev.spindle.bench.measure.ThreadCounters;
import dev.spindle.bench.workload.MemoryBoundKernels;
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
 * W4: where threads cannot help. Fill, copy and dot product over arrays of {@code length} doubles
 * (2 × 256 MiB by default, beyond the last-level cache), cut into 64 chunks run by the variant's
 * outer level. Reported as operations per second and the {@code gigabytesPerSecond} counter (bytes
 * the operation must move: 8 per element for fill, 16 for copy and dot), so throughput mode. Parallel variants should sit
 * at the bandwidth ceiling, and Spindle with them.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class MemoryBandwidthBenchmark {

    /** Which {@link Variant} runs the chunks (single level: serial, outer-only, fjp-nested, spindle). */
    @Param({"serial", "outer-only", "fjp-nested", "spindle"})
    public String variant;

    /** {@code fill}, {@code copy} or {@code dot}. */
    @Param({"fill", "copy", "dot"})
    public String operation;

    /** Elements per array. */
    @Param({"33554432"})
    public int length;

    private MemoryBoundKernels kernels;
    private TwoLevelExecution execution;

    /** Gigabytes moved, as a JMH counter: its rate is GB/s. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        public double gigabytesPerSecond;
    }

    @Setup(Level.Trial)
    public void setUp() {
        ThreadCounters.recordBaseline();
        BenchmarkParams.requireOneOf("operation", operation, "fill", "copy", "dot");
        kernels = new MemoryBoundKernels(length, 64);
        execution = TwoLevelExecution.open(Variant.fromId(variant));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        execution.close();
    }

    @Benchmark
    public double run(ThreadCounters counters, Bytes bytes) {
        double result = 0;
        switch (operation) {
            case "fill":
                kernels.fill(execution, 1.0);
                bytes.gigabytesPerSecond += kernels.fillBytes() * 1e-9;
                break;
            case "copy":
                kernels.copy(execution);
                bytes.gigabytesPerSecond += kernels.twoArrayBytes() * 1e-9;
                break;
            default:
                result = kernels.dot(execution);
                bytes.gigabytesPerSecond += kernels.twoArrayBytes() * 1e-9;
        }
        counters.operationDone();
        return result;
    }
}
