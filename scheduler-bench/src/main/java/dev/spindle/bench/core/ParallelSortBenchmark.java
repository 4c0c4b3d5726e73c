package dev.spindle.bench.core;

import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
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
 * Sorting {@code n} random elements: Spindle's {@code Parallel.sort} (a scheduler with one worker
 * per core) against {@code Arrays.parallelSort} (the common pool) and {@code Arrays.sort} (the
 * calling thread). Two element kinds: {@code double[]}, and {@code Object[]} of records with a
 * {@code double} key sorted by a comparator (the stable sort). Every operation first copies the
 * same unsorted input into the array it sorts; the copy is the same for every variant and small
 * beside the sort.
 *
 * <p>On JDK 17–25 {@code Arrays.parallelSort} sorts serially when the common pool's parallelism is
 * 1, which it is on a 2-core machine ({@code cores - 1}); the setup prints that parallelism.
 *
 * <p>{@code -XX:+AlwaysPreTouch}: a sort that allocates its scratch array per call (Spindle's; the
 * JDK's parallel sorts on more cores) otherwise pays, in a fresh fork, the first touch of every
 * page of a 2 GB eden that G1 grows into, which a long-running program pays once: 10⁵ doubles
 * back to back took 6.2–7.7 ms per sort without it and 4.0–4.2 ms with it, in one diagnostic.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class ParallelSortBenchmark {

    /** Who sorts; the baseline is {@code arrays-parallelSort}. */
    @Param({"spindle", "arrays-parallelSort", "arrays-sort"})
    public String variant;

    /** What is sorted: {@code double} or {@code object} (records by a comparator). */
    @Param({"double", "object"})
    public String kind;

    /** Elements. */
    @Param({"100000", "10000000"})
    public int n;

    /** An element of the object sort: a key, and a serial that shows stability. */
    static final class Keyed {
        static final Comparator<Keyed> BY_KEY = Comparator.comparingDouble(keyed -> keyed.key);
        final double key;
        final int serial;

        Keyed(double key, int serial) {
            this.key = key;
            this.serial = serial;
        }
    }

    private Scheduler scheduler;
    private double[] doubleInput;
    private double[] doubles;
    private Keyed[] objectInput;
    private Keyed[] objects;

    @Setup
    public void start() {
        if (!variant.equals("spindle") && !variant.equals("arrays-parallelSort") && !variant.equals("arrays-sort")) {
            throw new IllegalArgumentException("unknown variant " + variant);
        }
        if (!kind.equals("double") && !kind.equals("object")) {
            throw new IllegalArgumentException("unknown kind " + kind);
        }
        scheduler = Scheduler.builder().name("bench").build();
        SplittableRandom random = new SplittableRandom(42);
        if (kind.equals("double")) {
            doubleInput = random.doubles(n).toArray();
            doubles = new double[n];
        } else {
            objectInput = new Keyed[n];
            for (int i = 0; i < n; i++) {
                objectInput[i] = new Keyed(random.nextInt(n / 4 + 1), i);   // keys collide
            }
            objects = new Keyed[n];
        }
        System.err.println("note: common pool parallelism " + ForkJoinPool.getCommonPoolParallelism()
                + ", Spindle workers " + scheduler.parallelism());
    }

    @TearDown
    public void stop() {
        scheduler.close();
    }

    @Benchmark
    public Object sort() {
        if (doubleInput != null) {
            double[] a = doubles;
            System.arraycopy(doubleInput, 0, a, 0, n);
            switch (variant) {
                case "spindle":
                    Parallel.sort(scheduler, a);
                    break;
                case "arrays-parallelSort":
                    Arrays.parallelSort(a);
                    break;
                default:
                    Arrays.sort(a);
            }
            return a;
        }
        Keyed[] a = objects;
        System.arraycopy(objectInput, 0, a, 0, n);
        switch (variant) {
            case "spindle":
                Parallel.sort(scheduler, a, Keyed.BY_KEY);
                break;
            case "arrays-parallelSort":
                Arrays.parallelSort(a, Keyed.BY_KEY);
                break;
            default:
                Arrays.sort(a, Keyed.BY_KEY);
        }
        return a;
    }
}
