package dev.spindle.bench.core;

import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
 * W5: splitting cost. A loop of {@code n} cheap iterations ({@code out[i] = 3 * i + 1}) run by
 * Spindle's {@code Parallel.forRange} (per-index body with the adaptive grain, and a block body
 * with the same grain) and by {@code IntStream.range(0, n).parallel()} on the common pool. Both
 * sides use two threads here: the common pool has {@code cores - 1} workers plus the calling
 * thread; Spindle's scheduler has {@code cores} workers and the caller waits.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ForRangeBenchmark {

    /** How the loop is run; the baseline is {@code parallel-stream}. */
    @Param({"spindle-forRange", "spindle-forRange-blocks", "parallel-stream", "sequential"})
    public String variant;

    /** Loop length. */
    @Param({"1000000"})
    public int n;

    private Scheduler scheduler;
    private int[] out;
    private int grain;

    @Setup
    public void start() {
        scheduler = Scheduler.builder().name("bench").build();
        out = new int[n];
        grain = Math.max(1, n / (16 * scheduler.parallelism()));
        // fail fast on a misspelled variant, before any measurement
        if (!variant.equals("spindle-forRange") && !variant.equals("spindle-forRange-blocks")
                && !variant.equals("parallel-stream") && !variant.equals("sequential")) {
            throw new IllegalArgumentException("unknown variant " + variant);
        }
        if (ForkJoinPool.getCommonPoolParallelism() + 1 != scheduler.parallelism()) {
            System.err.println("note: common pool parallelism " + ForkJoinPool.getCommonPoolParallelism()
                    + " + caller vs Spindle " + scheduler.parallelism());
        }
    }

    @TearDown
    public void stop() {
        scheduler.close();
    }

    @Benchmark
    public int[] loop() {
        int[] a = out;
        switch (variant) {
            case "spindle-forRange":
                Parallel.forRange(scheduler, 0, n, i -> a[i] = 3 * i + 1);
                break;
            case "spindle-forRange-blocks":
                Parallel.forRange(scheduler, 0, n, grain, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) {
                        a[i] = 3 * i + 1;
                    }
                });
                break;
            case "parallel-stream":
                IntStream.range(0, n).parallel().forEach(i -> a[i] = 3 * i + 1);
                break;
            default:
                for (int i = 0; i < n; i++) {
                    a[i] = 3 * i + 1;
                }
        }
        return a;
    }
}
