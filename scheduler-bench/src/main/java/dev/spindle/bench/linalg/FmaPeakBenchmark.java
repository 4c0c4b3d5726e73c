package dev.spindle.bench.linalg;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The one-core FMA peak, the ceiling every GEMM figure is a fraction of: one thread issuing fused
 * multiply-adds on {@value #CHAINS} independent accumulators (enough to cover an FMA latency of up
 * to 6 cycles on two pipes, and with the two loop constants within sixteen registers), with no loads or stores in the loop. One method per width:
 * {@code scalar} ({@code Math.fma}) and {@code lanes2}, {@code lanes4}, {@code lanes8} (the Vector
 * API's 128-, 256- and 512-bit double species). The {@code gflops} counter's rate is GFLOP/s,
 * counting 2 flops per lane per FMA; the widest species the CPU runs natively
 * ({@code DoubleVector.SPECIES_PREFERRED}) gives the peak, and a wider one fails with an
 * {@link UnsupportedOperationException} instead of timing the Vector API's slow fallback.
 *
 * <p>Each accumulator runs {@code x ← x·m + d}, which converges to {@code d / (1 − m)}: no overflow
 * and no subnormals, so the FMAs run at full speed however long the loop. Run it in the same JVM
 * invocation as the GEMM to report "fraction of peak":
 * {@code java -jar benchmarks.jar "FmaPeakBenchmark|GemmBenchmark" -p impl=spindle-vector ...}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class FmaPeakBenchmark {

    /** Independent accumulators: 2 FMA pipes × 4-cycle latency need 8; 12 leave a margin. */
    static final int CHAINS = 12;

    /** Steps of the loop per operation; each step issues one FMA per accumulator. */
    static final int STEPS = 4096;

    private static final VectorSpecies<Double> LANES2 = DoubleVector.SPECIES_128;
    private static final VectorSpecies<Double> LANES4 = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Double> LANES8 = DoubleVector.SPECIES_512;

    /** The multiplier and addend, fields so the JIT cannot fold them. */
    private double m = 0.999_999;
    private double d = 1e-3;

    /** GFLOP done, as a JMH counter: its rate is GFLOP/s. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        public double gflops;
    }

    @Benchmark
    public double scalar(Flops flops) {
        double x0 = 0, x1 = 1, x2 = 2, x3 = 3, x4 = 4, x5 = 5, x6 = 6, x7 = 7, x8 = 8, x9 = 9, x10 = 10, x11 = 11;
        double mm = m;
        double dd = d;
        for (int s = 0; s < STEPS; s++) {
            x0 = Math.fma(x0, mm, dd); x1 = Math.fma(x1, mm, dd); x2 = Math.fma(x2, mm, dd);
            x3 = Math.fma(x3, mm, dd); x4 = Math.fma(x4, mm, dd); x5 = Math.fma(x5, mm, dd);
            x6 = Math.fma(x6, mm, dd); x7 = Math.fma(x7, mm, dd); x8 = Math.fma(x8, mm, dd);
            x9 = Math.fma(x9, mm, dd); x10 = Math.fma(x10, mm, dd); x11 = Math.fma(x11, mm, dd);
        }
        flops.gflops += 2.0 * CHAINS * STEPS * 1e-9;
        return x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11;
    }

    @Benchmark
    public double lanes2(Flops flops) {
        requireNative(LANES2);
        DoubleVector mm = DoubleVector.broadcast(LANES2, m);
        DoubleVector dd = DoubleVector.broadcast(LANES2, d);
        DoubleVector x0 = DoubleVector.broadcast(LANES2, 0); DoubleVector x1 = DoubleVector.broadcast(LANES2, 1);
        DoubleVector x2 = DoubleVector.broadcast(LANES2, 2); DoubleVector x3 = DoubleVector.broadcast(LANES2, 3);
        DoubleVector x4 = DoubleVector.broadcast(LANES2, 4); DoubleVector x5 = DoubleVector.broadcast(LANES2, 5);
        DoubleVector x6 = DoubleVector.broadcast(LANES2, 6); DoubleVector x7 = DoubleVector.broadcast(LANES2, 7);
        DoubleVector x8 = DoubleVector.broadcast(LANES2, 8); DoubleVector x9 = DoubleVector.broadcast(LANES2, 9);
        DoubleVector x10 = DoubleVector.broadcast(LANES2, 10); DoubleVector x11 = DoubleVector.broadcast(LANES2, 11);
        for (int s = 0; s < STEPS; s++) {
            x0 = x0.fma(mm, dd); x1 = x1.fma(mm, dd); x2 = x2.fma(mm, dd); x3 = x3.fma(mm, dd);
            x4 = x4.fma(mm, dd); x5 = x5.fma(mm, dd); x6 = x6.fma(mm, dd); x7 = x7.fma(mm, dd);
            x8 = x8.fma(mm, dd); x9 = x9.fma(mm, dd); x10 = x10.fma(mm, dd); x11 = x11.fma(mm, dd);
        }
        flops.gflops += 2.0 * CHAINS * STEPS * LANES2.length() * 1e-9;
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).add(x9).add(x10).add(x11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    @Benchmark
    public double lanes4(Flops flops) {
        requireNative(LANES4);
        DoubleVector mm = DoubleVector.broadcast(LANES4, m);
        DoubleVector dd = DoubleVector.broadcast(LANES4, d);
        DoubleVector x0 = DoubleVector.broadcast(LANES4, 0); DoubleVector x1 = DoubleVector.broadcast(LANES4, 1);
        DoubleVector x2 = DoubleVector.broadcast(LANES4, 2); DoubleVector x3 = DoubleVector.broadcast(LANES4, 3);
        DoubleVector x4 = DoubleVector.broadcast(LANES4, 4); DoubleVector x5 = DoubleVector.broadcast(LANES4, 5);
        DoubleVector x6 = DoubleVector.broadcast(LANES4, 6); DoubleVector x7 = DoubleVector.broadcast(LANES4, 7);
        DoubleVector x8 = DoubleVector.broadcast(LANES4, 8); DoubleVector x9 = DoubleVector.broadcast(LANES4, 9);
        DoubleVector x10 = DoubleVector.broadcast(LANES4, 10); DoubleVector x11 = DoubleVector.broadcast(LANES4, 11);
        for (int s = 0; s < STEPS; s++) {
            x0 = x0.fma(mm, dd); x1 = x1.fma(mm, dd); x2 = x2.fma(mm, dd); x3 = x3.fma(mm, dd);
            x4 = x4.fma(mm, dd); x5 = x5.fma(mm, dd); x6 = x6.fma(mm, dd); x7 = x7.fma(mm, dd);
            x8 = x8.fma(mm, dd); x9 = x9.fma(mm, dd); x10 = x10.fma(mm, dd); x11 = x11.fma(mm, dd);
        }
        flops.gflops += 2.0 * CHAINS * STEPS * LANES4.length() * 1e-9;
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).add(x9).add(x10).add(x11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    @Benchmark
    public double lanes8(Flops flops) {
        requireNative(LANES8);
        DoubleVector mm = DoubleVector.broadcast(LANES8, m);
        DoubleVector dd = DoubleVector.broadcast(LANES8, d);
        DoubleVector x0 = DoubleVector.broadcast(LANES8, 0); DoubleVector x1 = DoubleVector.broadcast(LANES8, 1);
        DoubleVector x2 = DoubleVector.broadcast(LANES8, 2); DoubleVector x3 = DoubleVector.broadcast(LANES8, 3);
        DoubleVector x4 = DoubleVector.broadcast(LANES8, 4); DoubleVector x5 = DoubleVector.broadcast(LANES8, 5);
        DoubleVector x6 = DoubleVector.broadcast(LANES8, 6); DoubleVector x7 = DoubleVector.broadcast(LANES8, 7);
        DoubleVector x8 = DoubleVector.broadcast(LANES8, 8); DoubleVector x9 = DoubleVector.broadcast(LANES8, 9);
        DoubleVector x10 = DoubleVector.broadcast(LANES8, 10); DoubleVector x11 = DoubleVector.broadcast(LANES8, 11);
        for (int s = 0; s < STEPS; s++) {
            x0 = x0.fma(mm, dd); x1 = x1.fma(mm, dd); x2 = x2.fma(mm, dd); x3 = x3.fma(mm, dd);
            x4 = x4.fma(mm, dd); x5 = x5.fma(mm, dd); x6 = x6.fma(mm, dd); x7 = x7.fma(mm, dd);
            x8 = x8.fma(mm, dd); x9 = x9.fma(mm, dd); x10 = x10.fma(mm, dd); x11 = x11.fma(mm, dd);
        }
        flops.gflops += 2.0 * CHAINS * STEPS * LANES8.length() * 1e-9;
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).add(x9).add(x10).add(x11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** Refuses a species wider than the CPU's vectors, which the Vector API would only emulate. */
    private static void requireNative(VectorSpecies<Double> species) {
        if (species.vectorBitSize() > DoubleVector.SPECIES_PREFERRED.vectorBitSize()) {
            throw new UnsupportedOperationException(species + " is wider than this CPU's vectors ("
                    + DoubleVector.SPECIES_PREFERRED + ")");
        }
    }
}
