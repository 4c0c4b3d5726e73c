package dev.spindle.linalg.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.linalg.testing.NaiveBlas;
import dev.spindle.core.Scheduler;
import dev.spindle.core.testing.ClassSchedulers;
import dev.spindle.linalg.internal.kernel.MicroKernel;
import dev.spindle.linalg.internal.kernel.MicroKernels;
import dev.spindle.linalg.testing.NaiveBlas;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GEMM driver with each micro-kernel against the textbook loop: random shapes (0, 1, primes,
 * sizes that are not multiples of any block), both transposes, offsets, leading dimensions larger
 * than the rows, the special alphas and betas; with this machine's block sizes and with tiny
 * ones that force every blocking loop to run many times; on 1 and on 2 workers.
 *
 * <p>Tolerance: each element within {@code 4 (k + 3) ε (|alpha| Σ|a·b| + |beta·c|)} of the
 * reference, the classic bound for a dot product of length k (ε = 2^-53), with slack for the
 * different summation orders of the kernels.
 */
class GemmTest {

    private static final int[] DIMENSIONS = {0, 1, 2, 3, 5, 7, 8, 13, 16, 17, 23, 24, 25, 31, 47, 64, 65, 97, 131};
    private static final double[] ALPHAS = {1.0, -0.5, 0.0, 2.5};
    private static final double[] BETAS = {0.0, 1.0, -1.5, 0.3};

    @RegisterExtension
    static final ClassSchedulers SCHEDULERS = new ClassSchedulers("gemm-test");
    private static final Scheduler one = SCHEDULERS.withParallelism(1);
    private static final Scheduler two = SCHEDULERS.withParallelism(2);

    @Test
    void tiling_cutsNoTileBelowTheFloor_butCutsALargerProductForBothWorkers() {
        // 160³: two halves would hold less than MIN_TILE_FLOPS each, so one tile and no fork.
        // 512³: four tiles of 2·256·256·512 flops, each above the floor.
        assertTrue(2L * 80 * 160 * 160 < GemmTiling.MIN_TILE_FLOPS && 2L * 256 * 256 * 512 >= GemmTiling.MIN_TILE_FLOPS);
        assertEquals(1, tasksRunFor(160), "the entry task only: a 160³ product is one tile");
        assertTrue(tasksRunFor(512) > 1, "a 512³ product is cut into tiles that are forked");
    }

    /** Tasks the two-worker scheduler runs for one n³ product called from outside the pool. */
    private static long tasksRunFor(int n) {
        SplittableRandom random = new SplittableRandom(n);
        double[] a = random.doubles((long) n * n).toArray();
        double[] b = random.doubles((long) n * n).toArray();
        double[] c = new double[n * n];
        long before = quiescentTasksExecuted(two);
        Gemm.multiply(two, n, n, n, 1.0, dense(a, n), dense(b, n), 0.0, dense(c, n));
        return quiescentTasksExecuted(two) - before;
    }

    /** The executed-task count once the workers are idle (a worker counts a task after it completes). */
    private static long quiescentTasksExecuted(Scheduler scheduler) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (scheduler.stats().activeWorkers() > 0 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        return scheduler.stats().tasksExecuted();
    }

    static List<MicroKernel> kernels() {
        List<MicroKernel> kernels = new ArrayList<>();
        kernels.add(MicroKernels.portable());
        kernels.add(MicroKernels.portableOtherVariant());
        assertNotNull(MicroKernels.vectorOrNull(),
                "the tests run with --add-modules jdk.incubator.vector: " + MicroKernels.vectorUnavailableReason());
        kernels.add(MicroKernels.vectorOrNull());
        return kernels;
    }

    static Stream<Arguments> kernelsAndBlocks() {
        List<Arguments> list = new ArrayList<>();
        for (MicroKernel kernel : kernels()) {
            list.add(Arguments.of(kernel, BlockSizes.ofMachine(kernel), "machine blocks"));
            list.add(Arguments.of(kernel, tinyBlocks(kernel), "tiny blocks"));
        }
        return list.stream();
    }

    /** {@code op(X)} stored at {@code x[off + i·ld + j]}, or transposed. */
    static MatrixOperand operand(double[] x, int off, int ld, boolean transposed) {
        return new MatrixOperand(x, off, ld, transposed);
    }

    /** A dense row-major matrix of {@code cols} columns at the start of {@code x}. */
    static MatrixOperand dense(double[] x, int cols) {
        return new MatrixOperand(x, 0, Math.max(1, cols), false);
    }

    /** Blocks so small that a 100 × 100 product runs every blocking loop many times, with ragged ends. */
    static BlockSizes tinyBlocks(MicroKernel kernel) {
        return new BlockSizes(2 * kernel.mr(), 7, 2 * kernel.nr());
    }

    /** One random case; returns nothing, fails with the case in the message. */
    private static void check(Scheduler scheduler, MicroKernel kernel, BlockSizes blocks, SplittableRandom random,
                              int m, int n, int k, boolean ta, boolean tb, double alpha, double beta) {
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        int lda = Math.max(1, aCols) + random.nextInt(3);
        int ldb = Math.max(1, bCols) + random.nextInt(3);
        int ldc = Math.max(1, n) + random.nextInt(3);
        int aOff = random.nextInt(4);
        int bOff = random.nextInt(4);
        int cOff = random.nextInt(4);
        double[] a = NaiveBlas.random(random, aOff + aRows * lda + 2);
        double[] b = NaiveBlas.random(random, bOff + bRows * ldb + 2);
        double[] c = NaiveBlas.random(random, cOff + m * ldc + 2);
        double[] bound = new double[c.length];
        double[] expected = NaiveBlas.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, bound);
        double[] actual = c.clone();
        Gemm.multiply(scheduler, kernel, blocks, m, n, k, alpha, operand(a, aOff, lda, ta),
                operand(b, bOff, ldb, tb), beta, operand(actual, cOff, ldc, false));
        NaiveBlas.assertClose(expected, actual, bound, kernel.name() + " " + blocks + " m=" + m + " n=" + n + " k=" + k
                + " ta=" + ta + " tb=" + tb + " alpha=" + alpha + " beta=" + beta + " lda=" + lda + " ldb=" + ldb
                + " ldc=" + ldc + " offsets=" + aOff + "," + bOff + "," + cOff);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kernelsAndBlocks")
    void randomShapes_matchTheTextbookLoop(MicroKernel kernel, BlockSizes blocks, String label) {
        SplittableRandom random = new SplittableRandom(kernel.name().hashCode() * 31L + label.hashCode());
        for (int trial = 0; trial < 160; trial++) {
            int m = DIMENSIONS[random.nextInt(DIMENSIONS.length)];
            int n = DIMENSIONS[random.nextInt(DIMENSIONS.length)];
            int k = DIMENSIONS[random.nextInt(DIMENSIONS.length)];
            boolean ta = random.nextBoolean();
            boolean tb = random.nextBoolean();
            double alpha = ALPHAS[random.nextInt(ALPHAS.length)];
            double beta = BETAS[random.nextInt(BETAS.length)];
            check(trial % 2 == 0 ? one : two, kernel, blocks, random, m, n, k, ta, tb, alpha, beta);
        }
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kernelsAndBlocks")
    void everyTransposeAndSpecialScalar_onARaggedShape(MicroKernel kernel, BlockSizes blocks, String label) {
        SplittableRandom random = new SplittableRandom(7);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (double alpha : ALPHAS) {
                    for (double beta : BETAS) {
                        check(two, kernel, blocks, random, 37, 53, 29, ta, tb, alpha, beta);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kernelsAndBlocks")
    void largerThanOneBlockInEveryDimension(MicroKernel kernel, BlockSizes blocks, String label) {
        SplittableRandom random = new SplittableRandom(11);
        check(two, kernel, blocks, random, 211, 157, 263, false, false, 1.0, 0.0);
        check(two, kernel, blocks, random, 157, 211, 263, true, true, -1.0, 0.5);
        check(one, kernel, blocks, random, 1031, 29, 140, false, true, 1.0, 1.0);
        check(two, kernel, blocks, random, 9, 4201, 131, true, false, 0.75, 0.0);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kernelsAndBlocks")
    void keptPackedA_onTwoWorkers_isUsedOnlyForTheSameProductAndRows(MicroKernel kernel, BlockSizes blocks, String label) {
        // 320³ on two workers is four tiles (each above the floor), two per row band, so a worker
        // that runs both tiles of a band reuses the A it packed for the first. The products that
        // follow have the same shape and new values of A: each must pack its own. (The tile body
        // itself is pinned down on one thread by the test below.)
        assertTrue(2L * 160 * 168 * 320 >= GemmTiling.MIN_TILE_FLOPS);
        SplittableRandom random = new SplittableRandom(29);
        for (int product = 0; product < 3; product++) {
            check(two, kernel, blocks, random, 320, 320, 320, product == 1, false, 1.0, 0.0);
        }
        check(one, kernel, blocks, random, 320, 320, 320, false, false, -2.0, 0.5);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kernelsAndBlocks")
    void theSecondTileOfARowBand_usesTheAKeptByTheFirst_andANewProductPacksItsOwn(MicroKernel kernel,
                                                                                 BlockSizes blocks,
                                                                                 String label) {
        // Tiles called on this thread. After the first tile, A is overwritten: the second tile of
        // the same product and rows must still compute with the A the first one packed (so it did
        // not pack again), and a new product with the same shape must compute with the new A.
        SplittableRandom random = new SplittableRandom(31);
        int m = 40;
        int half = 2 * kernel.nr();                      // the first tile's columns
        int n = half + kernel.nr() + 5;                  // the second tile's, ragged
        int k = 50;
        double[] a = NaiveBlas.random(random, m * k);
        double[] newA = NaiveBlas.random(random, m * k);
        double[] b = NaiveBlas.random(random, k * n);
        double[] bound = new double[m * n];
        double[] expectedOld = NaiveBlas.product(m, n, k, a, b, bound);
        double[] boundNew = new double[m * n];
        double[] expectedNew = NaiveBlas.product(m, n, k, newA, b, boundNew);
        double[] c = new double[m * n];
        Gemm first = Gemm.numbered(kernel, blocks, m, n, k, 1.0, dense(a, k), dense(b, n), 0.0, dense(c, n));
        first.tile(0, m, 0, half);
        System.arraycopy(newA, 0, a, 0, a.length);       // the caller changes A after the first tile
        first.tile(0, m, half, n);
        if (blocks.mc >= m) {                            // one row block: kept whole, so reused
            NaiveBlas.assertClose(expectedOld, c, bound, kernel.name() + " " + blocks + ": second tile");
        }
        double[] c2 = new double[m * n];
        Gemm second = Gemm.numbered(kernel, blocks, m, n, k, 1.0, dense(a, k), dense(b, n), 0.0, dense(c2, n));
        second.tile(0, m, 0, half);
        second.tile(0, m, half, n);
        NaiveBlas.assertClose(expectedNew, c2, boundNew, kernel.name() + " " + blocks + ": a new product");
    }

    @Test
    void theTileBody_allocatesNothing_onceTheThreadsBuffersAreLargeEnough() {
        // The portable kernels only: the Vector API boxes its vectors until C2 compiles the vector
        // kernel, which says nothing about the driver. Tiny blocks make the blocked loops, the
        // packing, the macro-kernel and the edge path run hundreds of times per tile.
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        SplittableRandom random = new SplittableRandom(37);
        int m = 101;
        int n = 77;
        int k = 60;
        for (MicroKernel kernel : List.of(MicroKernels.portable(), MicroKernels.portableOtherVariant())) {
            for (BlockSizes blocks : List.of(tinyBlocks(kernel), BlockSizes.ofMachine(kernel))) {
                double[] a = NaiveBlas.random(random, k * m);
                double[] b = NaiveBlas.random(random, n * k);
                double[] c = NaiveBlas.random(random, m * n);
                Gemm gemm = Gemm.numbered(kernel, blocks, m, n, k, 1.5, operand(a, 0, m, true),
                        operand(b, 0, k, true), 0.5, dense(c, n));
                int half = 4 * kernel.nr();
                gemm.tile(0, m, 0, half);                // grows this thread's buffers
                gemm.tile(0, m, half, n);
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int round = 0; round < 3; round++) {
                    gemm.tile(0, m, 0, half);
                    gemm.tile(0, m, half, n);
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated < 1_024, kernel.name() + " " + blocks + ": six tiles allocated " + allocated
                        + " bytes");
            }
        }
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kernelsAndBlocks")
    void oneAndTwoWorkers_giveTheSameBits(MicroKernel kernel, BlockSizes blocks, String label) {
        SplittableRandom random = new SplittableRandom(3);
        int m = 223;
        int n = 197;
        int k = 181;
        double[] a = NaiveBlas.random(random, m * k);
        double[] b = NaiveBlas.random(random, k * n);
        double[] c0 = NaiveBlas.random(random, m * n);
        for (boolean ta : new boolean[] {false, true}) {
            double[] c1 = c0.clone();
            double[] c2 = c0.clone();
            Gemm.multiply(one, kernel, blocks, m, n, k, 1.5, operand(a, 0, ta ? m : k, ta), dense(b, n), 0.5,
                    dense(c1, n));
            Gemm.multiply(two, kernel, blocks, m, n, k, 1.5, operand(a, 0, ta ? m : k, ta), dense(b, n), 0.5,
                    dense(c2, n));
            assertArrayEquals(c1, c2, kernel.name() + " " + blocks + " ta=" + ta);
        }
    }

    @Test
    void portableAndVectorKernels_agreeWithinTheBound() {
        MicroKernel portable = MicroKernels.portable();
        MicroKernel vector = kernels().get(2);
        SplittableRandom random = new SplittableRandom(5);
        int m = 301;
        int n = 277;
        int k = 389;
        double[] a = NaiveBlas.random(random, m * k);
        double[] b = NaiveBlas.random(random, k * n);
        double[] viaPortable = new double[m * n];
        double[] viaVector = new double[m * n];
        Gemm.multiply(two, portable, BlockSizes.ofMachine(portable), m, n, k, 1.0, dense(a, k), dense(b, n), 0.0,
                dense(viaPortable, n));
        Gemm.multiply(two, vector, BlockSizes.ofMachine(vector), m, n, k, 1.0, dense(a, k), dense(b, n), 0.0,
                dense(viaVector, n));
        double[] bound = new double[m * n];
        NaiveBlas.product(m, n, k, a, b, bound);
        double worst = 0;
        for (int i = 0; i < m * n; i++) {
            double difference = Math.abs(viaPortable[i] - viaVector[i]);
            assertTrue(difference <= 2 * bound[i], () -> "portable and vector differ beyond 2 × bound");
            worst = Math.max(worst, difference);
        }
        assertTrue(worst < 1e-12, "largest difference " + worst);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kernelsAndBlocks")
    void nanAndInfinity_propagateToTheirRowsAndColumns(MicroKernel kernel, BlockSizes blocks, String label) {
        int m = 40;
        int n = 50;
        int k = 30;
        double[] a = NaiveBlas.filled(m * k, 1.0);
        double[] b = NaiveBlas.filled(k * n, 1.0);
        a[3 * k + 7] = Double.NaN;                 // row 3 of C: NaN
        a[11 * k + 2] = Double.POSITIVE_INFINITY;  // row 11 of C: +inf
        b[5 * n + 17] = Double.NEGATIVE_INFINITY;  // column 17 of C: -inf (row 11: inf + -inf = NaN)
        double[] c = new double[m * n];
        Gemm.multiply(two, kernel, blocks, m, n, k, 1.0, dense(a, k), dense(b, n), 0.0, dense(c, n));
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double v = c[i * n + j];
                String where = kernel.name() + " (" + i + ", " + j + ") = " + v;
                if (i == 3 || (i == 11 && j == 17)) {
                    assertTrue(Double.isNaN(v), where);
                } else if (i == 11) {
                    assertEquals(Double.POSITIVE_INFINITY, v, where);
                } else if (j == 17) {
                    assertEquals(Double.NEGATIVE_INFINITY, v, where);
                } else {
                    assertEquals(k, v, where);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kernelsAndBlocks")
    void betaZero_neverReadsC_andAlphaZero_neverReadsAOrB(MicroKernel kernel, BlockSizes blocks, String label) {
        int m = 33;
        int n = 45;
        int k = 21;
        double[] a = NaiveBlas.filled(m * k, 2.0);
        double[] b = NaiveBlas.filled(k * n, 3.0);
        double[] c = NaiveBlas.filled(m * n, Double.NaN);
        Gemm.multiply(two, kernel, blocks, m, n, k, 1.0, dense(a, k), dense(b, n), 0.0, dense(c, n));
        for (double v : c) {
            assertEquals(6.0 * k, v);
        }
        java.util.Arrays.fill(a, Double.NaN);
        java.util.Arrays.fill(c, 4.0);
        Gemm.multiply(two, kernel, blocks, m, n, k, 0.0, dense(a, k), dense(b, n), 0.5, dense(c, n));
        for (double v : c) {
            assertEquals(2.0, v);
        }
        java.util.Arrays.fill(c, Double.NaN);
        Gemm.multiply(two, kernel, blocks, m, n, k, 0.0, dense(a, k), dense(b, n), 0.0, dense(c, n));
        for (double v : c) {
            assertEquals(0.0, v);
        }
    }

    @Test
    void elementsOutsideCAreNeverWritten() {
        for (MicroKernel kernel : kernels()) {
            int m = 19;
            int n = 29;
            int k = 23;
            int ldc = n + 5;
            int cOff = 3;
            double[] a = NaiveBlas.filled(m * k, 1.0);
            double[] b = NaiveBlas.filled(k * n, 1.0);
            double[] c = NaiveBlas.filled(cOff + m * ldc + 4, -7.0);
            Gemm.multiply(two, kernel, tinyBlocks(kernel), m, n, k, 1.0, dense(a, k), dense(b, n), 0.0,
                    operand(c, cOff, ldc, false));
            for (int at = 0; at < c.length; at++) {
                int rel = at - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                assertEquals(inside ? k : -7.0, c[at], kernel.name() + " index " + at);
            }
        }
    }
}
