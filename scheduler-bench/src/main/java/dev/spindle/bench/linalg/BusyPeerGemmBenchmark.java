package dev.spindle.bench.linalg;

import static dev.spindle.linalg.Transpose.NO_TRANSPOSE;

import dev.spindle.bench.workload.GemmBatch;
import dev.spindle.core.Scheduler;
import dev.spindle.linalg.Blas;
import dev.spindle.linalg.SerialBlas;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
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
 * What cutting a product into tiles costs when no second worker takes any of them: the case of a
 * product nested in a batch that keeps every worker busy (the demo's W1, a Spark stage of equal
 * tasks). On a two-worker scheduler, one worker runs a hog for the whole trial (serial products of
 * its own, so the machine is as busy as in a batch), and the other runs, in an order that rotates
 * from one operation to the next, the same n × n product twice: through {@code Blas.dgemm} on the
 * scheduler ({@code tiledMillis}: tiled for two workers, all tiles left to this one) and as one
 * tile through {@code SerialBlas.dgemm} ({@code oneTileMillis}). Each time is taken inside the
 * task, so the hand-over to the worker is not counted. {@code tiledMillis / oneTileMillis - 1} is
 * the cost of the tiles; {@code stolenTiles} counts steals during the tiled products and must stay
 * 0 (else the hog did not hold the other worker).
 *
 * <p>{@code tilesPerWorker} sets {@code spindle.linalg.sharedTilesPerWorker} (the tiling's aim when
 * tiles share packed B) for the trial.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms3g", "-Xmx3g"})
@State(Scope.Benchmark)
public class BusyPeerGemmBenchmark {

    /** Matrix order. */
    @Param({"1024"})
    public int n;

    /** Tiles per worker the tiling aims at ({@code -Dspindle.linalg.sharedTilesPerWorker}); empty: the default. */
    @Param({""})
    public String tilesPerWorker;

    private Scheduler pool;
    private double[] a;
    private double[] b;
    private double[] c;
    private volatile boolean stopHog;
    private Future<?> hog;
    private int rotation;

    /** Milliseconds per variant, summed over the iteration (JMH reports EVENTS as totals). */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Times {
        public double tiledMillis;
        public double oneTileMillis;
        public long stolenTiles;
    }

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        if (!tilesPerWorker.isEmpty()) {
            System.setProperty("spindle.linalg.sharedTilesPerWorker", tilesPerWorker);
        }
        SplittableRandom random = new SplittableRandom(42);
        a = GemmBatch.randomMatrix(random, n);
        b = GemmBatch.randomMatrix(random, n);
        c = new double[n * n];
        double[] hogA = GemmBatch.randomMatrix(random, n);
        double[] hogB = GemmBatch.randomMatrix(random, n);
        double[] hogC = new double[n * n];
        pool = Scheduler.builder().parallelism(2).name("busy-peer").build();
        CountDownLatch hogRunning = new CountDownLatch(1);
        hog = pool.submit(() -> {
            hogRunning.countDown();
            while (!stopHog) {
                SerialBlas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, n, n, n, 1.0, hogA, 0, n, hogB, 0, n, 0.0, hogC, 0, n);
            }
        });
        if (!hogRunning.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the hog task did not start within 60 s");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        stopHog = true;
        try {
            hog.get(60, TimeUnit.SECONDS);
        } finally {
            pool.close();
            if (!tilesPerWorker.isEmpty()) {
                System.clearProperty("spindle.linalg.sharedTilesPerWorker");
            }
        }
    }

    /** The product tiled and as one tile, on the worker the hog leaves free. */
    @Benchmark
    public double[] tiledAndOneTile(Times times) {
        boolean tiledFirst = (rotation++ & 1) == 0;
        for (int k = 0; k < 2; k++) {
            boolean tiled = tiledFirst == (k == 0);
            long stealsBefore = pool.stats().steals();
            long nanos = pool.invoke(() -> {
                long start = System.nanoTime();
                if (tiled) {
                    Blas.dgemm(pool, NO_TRANSPOSE, NO_TRANSPOSE, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
                } else {
                    SerialBlas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
                }
                return System.nanoTime() - start;
            });
            if (tiled) {
                times.tiledMillis += nanos * 1e-6;
                times.stolenTiles += pool.stats().steals() - stealsBefore;
            } else {
                times.oneTileMillis += nanos * 1e-6;
            }
        }
        return c;
    }
}
