package dev.spindle.bench.linalg;

import static dev.spindle.linalg.Transpose.NO_TRANSPOSE;

import dev.spindle.bench.workload.GemmBatch;
import dev.spindle.linalg.Blas;
import dev.spindle.linalg.internal.kernel.MicroKernels;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to the first results of a fresh JVM: the first {@code products} n × n products through
 * {@code Blas.dgemm} on the global scheduler, as a new user's program runs them, one single shot
 * per fork and many forks. {@code kernel} is the value of {@code spindle.linalg.kernel}, set
 * before any class of the library loads: {@code portable}, {@code vector} (the Vector API kernel
 * from the first product, compiled or not) and {@code auto} (the default: portable until the
 * Vector API kernel is compiled, or at most 10 s into its warm-up). The {@code vectorProducts}
 * counter says how many of the timed
 * products ran on the Vector API kernel.
 *
 * <p>The fork adds {@code --add-modules jdk.incubator.vector} and nothing else, so the heap and the
 * JIT are as a user's would be; run the jar under JDK 17 and JDK 25.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 12, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class FirstProductBenchmark {

    /** The setting of {@code spindle.linalg.kernel} in the fresh JVM. */
    @Param({"portable", "vector", "auto"})
    public String kernel;

    /** Matrix order. */
    @Param({"1024"})
    public int n;

    /** How many products, from the JVM's first, one shot times together. */
    @Param({"1"})
    public int products;

    private double[] a;
    private double[] b;
    private double[] c;

    /** How many of the timed products ran on the Vector API kernel. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Kernels {
        public double vectorProducts;
    }

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty(MicroKernels.KERNEL_PROPERTY, kernel);   // a constant: MicroKernels is not initialised here
        SplittableRandom random = new SplittableRandom(42);
        a = GemmBatch.randomMatrix(random, n);
        b = GemmBatch.randomMatrix(random, n);
        c = new double[n * n];
    }

    @Benchmark
    public double firstProducts(Kernels kernels) {
        for (int i = 0; i < products; i++) {
            if (MicroKernels.currentProductKernel() == MicroKernels.vectorOrNull()) {
                kernels.vectorProducts++;
            }
            Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
        }
        return c[c.length - 1];
    }
}
