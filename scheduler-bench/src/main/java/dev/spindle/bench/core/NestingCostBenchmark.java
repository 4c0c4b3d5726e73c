package dev.spindle.bench.core;

import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * What an inner parallel loop costs when the outer level already keeps every worker busy. The
 * outer loop runs {@code outer} independent rows in parallel (one row per block, many more rows
 * than workers). Each row's inner loop updates {@code inner} doubles ({@code y = y * c + d}, in L1/L2)
 * and is written three ways, chosen by {@code variant}: a plain {@code for} (the baseline), a
 * nested {@code Parallel.forRange} with a block body, and a nested per-index
 * {@code Parallel.forRange}. Lazy splitting should make the nested forms cost almost nothing:
 * the inner loops see a non-empty deque and never fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class NestingCostBenchmark {

    /** How the inner loop is written; the baseline is {@code plain-inner}. */
    @Param({"plain-inner", "nested-forRange-blocks", "nested-forRange"})
    public String variant;

    /** Rows in the outer loop. */
    @Param({"256"})
    public int outer;

    /** Elements per row. */
    @Param({"4096"})
    public int inner;

    private Scheduler scheduler;
    private double[][] rows;
    private int innerGrain;

    @Setup
    public void start() {
        scheduler = Scheduler.builder().name("bench").build();
        rows = new double[outer][inner];
        innerGrain = Math.max(1, inner / (16 * scheduler.parallelism()));
        if (!variant.equals("plain-inner") && !variant.equals("nested-forRange-blocks")
                && !variant.equals("nested-forRange")) {
            throw new IllegalArgumentException("unknown variant " + variant);
        }
    }

    @TearDown
    public void stop() {
        scheduler.close();
    }

    @Benchmark
    public double[][] nested() {
        double[][] y = rows;
        String v = variant;
        Parallel.forRange(scheduler, 0, outer, 1, (rowLo, rowHi) -> {
            for (int r = rowLo; r < rowHi; r++) {
                double[] row = y[r];
                switch (v) {
                    case "plain-inner":
                        for (int i = 0; i < row.length; i++) {
                            row[i] = row[i] * 0.999 + 1e-3;
                        }
                        break;
                    case "nested-forRange-blocks":
                        Parallel.forRange(scheduler, 0, row.length, innerGrain, (lo, hi) -> {
                            for (int i = lo; i < hi; i++) {
                                row[i] = row[i] * 0.999 + 1e-3;
                            }
                        });
                        break;
                    default:
                        Parallel.forRange(scheduler, 0, row.length, i -> row[i] = row[i] * 0.999 + 1e-3);
                }
            }
        });
        return y;
    }
}
