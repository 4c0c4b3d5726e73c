package dev.spindle.bench.linalg;

import static dev.spindle.linalg.Transpose.NO_TRANSPOSE;

import dev.spindle.bench.baseline.IndependentProducts;
import dev.spindle.bench.workload.GemmBatch;
import dev.spindle.core.Scheduler;
import dev.spindle.linalg.Blas;
import java.util.SplittableRandom;
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
 * Two-worker GEMM scaling measured side by side: one operation computes the same n × n product on
 * a one-worker and on a two-worker Spindle scheduler, and one round of {@link IndependentProducts}
 * (two whole serial products on two plain threads, the machine's ceiling), in an order that
 * rotates from one operation to the next. The {@link Times} counters sum each one's milliseconds,
 * so {@code oneWorkerMillis / twoWorkersMillis} is the scaling and
 * {@code 2 · oneWorkerMillis / independentMillis} what two cores allow, from the same spells of
 * the host. ({@link GemmBenchmark} measures 1 and 2 workers many seconds apart, and a shared VM's
 * core speed drifts over tens of seconds, which a ratio of two separate runs would take for
 * scaling: {@code docs/design/gemm.md}, "How GEMM is measured".)
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 6, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms3g", "-Xmx3g"})
@State(Scope.Benchmark)
public class PairedGemmScalingBenchmark {

    /** Matrix order. */
    @Param({"1024"})
    public int n;

    private Scheduler one;
    private Scheduler two;
    private IndependentProducts independent;
    private double[] a;
    private double[] b;
    private double[] c;
    private int rotation;

    /** Milliseconds per configuration, summed over the iteration (JMH reports EVENTS as totals). */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Times {
        public double oneWorkerMillis;
        public double twoWorkersMillis;
        public double independentMillis;
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        a = GemmBatch.randomMatrix(random, n);
        b = GemmBatch.randomMatrix(random, n);
        c = new double[n * n];
        one = Scheduler.builder().parallelism(1).name("gemm-one").build();
        two = Scheduler.builder().parallelism(2).name("gemm-two").build();
        independent = new IndependentProducts(n, 2, 43);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        one.close();
        two.close();
        independent.close();
    }

    /** One product on one worker, one on two workers, one round of two independent products. */
    @Benchmark
    public double[] threeConfigurations(Times times) {
        int first = rotation;
        rotation = (rotation + 1) % 3;
        for (int k = 0; k < 3; k++) {
            int which = (first + k) % 3;
            long start = System.nanoTime();
            if (which == 0) {
                Blas.dgemm(one, NO_TRANSPOSE, NO_TRANSPOSE, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
            } else if (which == 1) {
                Blas.dgemm(two, NO_TRANSPOSE, NO_TRANSPOSE, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
            } else {
                independent.run();
            }
            double millis = (System.nanoTime() - start) * 1e-6;
            if (which == 0) {
                times.oneWorkerMillis += millis;
            } else if (which == 1) {
                times.twoWorkersMillis += millis;
            } else {
                times.independentMillis += millis;
            }
        }
        return c;
    }
}
