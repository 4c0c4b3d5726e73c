package dev.spindle.bench.core;

import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;
import java.util.Arrays;
import java.util.SplittableRandom;
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
 * The inclusive prefix sum of {@code n} random {@code double}s or {@code long}s from a source
 * array into a destination: Spindle's {@code Parallel.scan} (a scheduler with one worker per core)
 * against a serial loop (the baseline) and {@code Arrays.parallelPrefix} (the common pool, plus the
 * caller). {@code parallelPrefix} works in place only, so its variant copies the source into the
 * destination first and the copy is part of its time. The heap is pre-touched, as in
 * {@code ParallelSortBenchmark}, so no variant pays the first touch of fresh heap pages.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class ParallelScanBenchmark {

    /** Who scans; the baseline is {@code serial}. */
    @Param({"spindle", "serial", "arrays-parallelPrefix"})
    public String variant;

    /** Element type: {@code double} or {@code long}. */
    @Param({"double", "long"})
    public String type;

    /** Elements. */
    @Param({"1000000", "10000000"})
    public int n;

    private Scheduler scheduler;
    private double[] doubleSource;
    private double[] doubleDestination;
    private long[] longSource;
    private long[] longDestination;

    @Setup
    public void start() {
        if (!variant.equals("spindle") && !variant.equals("serial") && !variant.equals("arrays-parallelPrefix")) {
            throw new IllegalArgumentException("unknown variant " + variant);
        }
        scheduler = Scheduler.builder().name("bench").build();
        SplittableRandom random = new SplittableRandom(42);
        if (type.equals("double")) {
            doubleSource = random.doubles(n).toArray();
            doubleDestination = new double[n];
        } else if (type.equals("long")) {
            longSource = random.longs(n, 0, 1_000).toArray();
            longDestination = new long[n];
        } else {
            throw new IllegalArgumentException("unknown type " + type);
        }
    }

    @TearDown
    public void stop() {
        scheduler.close();
    }

    @Benchmark
    public Object scan() {
        if (doubleSource != null) {
            double[] source = doubleSource;
            double[] destination = doubleDestination;
            switch (variant) {
                case "spindle":
                    Parallel.scan(scheduler, source, 0, n, destination, 0, Double::sum);
                    break;
                case "arrays-parallelPrefix":
                    System.arraycopy(source, 0, destination, 0, n);
                    Arrays.parallelPrefix(destination, Double::sum);
                    break;
                default:
                    double sum = source[0];
                    destination[0] = sum;
                    for (int i = 1; i < n; i++) {
                        sum += source[i];
                        destination[i] = sum;
                    }
            }
            return destination;
        }
        long[] source = longSource;
        long[] destination = longDestination;
        switch (variant) {
            case "spindle":
                Parallel.scan(scheduler, source, 0, n, destination, 0, Long::sum);
                break;
            case "arrays-parallelPrefix":
                System.arraycopy(source, 0, destination, 0, n);
                Arrays.parallelPrefix(destination, Long::sum);
                break;
            default:
                long sum = source[0];
                destination[0] = sum;
                for (int i = 1; i < n; i++) {
                    sum += source[i];
                    destination[i] = sum;
                }
        }
        return destination;
    }
}
