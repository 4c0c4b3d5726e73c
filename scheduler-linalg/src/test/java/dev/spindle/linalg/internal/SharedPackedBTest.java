package dev.spindle.linalg.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Parallel;
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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A product's packed B shared by its tiles ({@link SharedPackedB}): a panel packed by one tile is
 * used by the others; a panel another thread is still packing is never waited for; the bits do not
 * depend on who packed what or on the worker count; nested products and a failed product leave
 * nothing behind for the next one.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedPackedBTest {

    @RegisterExtension
    static final ClassSchedulers SCHEDULERS = new ClassSchedulers("shared-b-test");
    private static final Scheduler one = SCHEDULERS.withParallelism(1);
    private static final Scheduler two = SCHEDULERS.withParallelism(2);

    /** Each kernel with this machine's blocks and with tiny ones (not GemmTest's: its schedulers are its own). */
    static Stream<Arguments> kernelsAndBlocks() {
        List<Arguments> list = new ArrayList<>();
        for (MicroKernel kernel : List.of(MicroKernels.portable(), MicroKernels.selected())) {
            list.add(Arguments.of(kernel, BlockSizes.ofMachine(kernel), "machine blocks"));
            list.add(Arguments.of(kernel, new BlockSizes(2 * kernel.mr(), 7, 2 * kernel.nr()), "tiny blocks"));
        }
        return list.stream();
    }

    private static MatrixOperand operand(double[] x, int off, int ld, boolean transposed) {
        return new MatrixOperand(x, off, ld, transposed);
    }

    private static MatrixOperand dense(double[] x, int cols) {
        return new MatrixOperand(x, 0, Math.max(1, cols), false);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kernelsAndBlocks")
    void panelsPackedByTheFirstRowBand_areUsedByTheSecond(MicroKernel kernel, BlockSizes blocks, String label) {
        // B is overwritten between the two row bands: the second must still compute with the B the
        // first one packed into the shared panels, so it did not pack again.
        SplittableRandom random = new SplittableRandom(41);
        int m = 4 * kernel.mr() + 3;
        int half = 2 * kernel.mr();
        int n = 3 * kernel.nr() + 5;
        int k = 45;
        double[] a = NaiveBlas.random(random, m * k);
        double[] b = NaiveBlas.random(random, k * n);
        double[] bound = new double[m * n];
        double[] expected = NaiveBlas.product(m, n, k, a, b, bound);
        double[] c = new double[m * n];
        Gemm gemm = Gemm.sharing(kernel, blocks, m, n, k, 1.0, dense(a, k), dense(b, n), 0.0, dense(c, n), half);
        gemm.tile(0, half, 0, n);
        java.util.Arrays.fill(b, Double.NaN);
        gemm.tile(half, m, 0, n);
        NaiveBlas.assertClose(expected, c, bound, kernel.name() + " " + blocks);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kernelsAndBlocks")
    void aPanelAnotherThreadIsPacking_isNotWaitedFor_andGivesTheSameBits(MicroKernel kernel, BlockSizes blocks,
                                                                         String label) {
        // Every panel is claimed by a "packer" that never finishes (a thread descheduled for good,
        // or one that failed). The tiles must neither wait nor read the unpacked panels: each packs
        // its own copy, and the result is the same, bit for bit, as a product nobody shared.
        SplittableRandom random = new SplittableRandom(43);
        int m = 3 * kernel.mr() + 1;
        int half = 2 * kernel.mr();
        int n = 5 * kernel.nr() + 2;
        int k = 37;
        double[] a = NaiveBlas.random(random, m * k);
        double[] b = NaiveBlas.random(random, k * n);
        double[] c = NaiveBlas.random(random, m * n);
        double[] unshared = c.clone();
        Gemm.multiply(one, kernel, blocks, m, n, k, -1.5, dense(a, k), dense(b, n), 0.5, dense(unshared, n));
        Gemm gemm = Gemm.sharing(kernel, blocks, m, n, k, -1.5, dense(a, k), dense(b, n), 0.5, dense(c, n), half);
        SharedPackedB shared = gemm.sharedB();
        for (int panel = 0; panel < shared.panels(); panel++) {
            assertTrue(shared.claim(panel));
        }
        gemm.tile(0, half, 0, n);
        gemm.tile(half, m, 0, n);
        assertArrayEquals(unshared, c, kernel.name() + " " + blocks);
        for (int panel = 0; panel < shared.panels(); panel++) {
            assertFalse(shared.isReady(panel), "nobody else packs a claimed panel");
        }
    }

    @Test
    void aPanel_isClaimedOnce_andReadyOnlyWhenPublished() {
        SharedPackedB shared = SharedPackedB.borrow(100, 50, 32, 8);
        int panel = shared.panel(2, 16);
        assertFalse(shared.isReady(panel));
        assertTrue(shared.claim(panel));
        assertFalse(shared.claim(panel));
        assertFalse(shared.isReady(panel));
        shared.publish(panel);
        assertTrue(shared.isReady(panel));
        assertFalse(shared.claim(panel));
        shared.giveBack();
        SharedPackedB next = SharedPackedB.borrow(100, 50, 32, 8);
        for (int p = 0; p < next.panels(); p++) {
            assertFalse(next.isReady(p), "a borrowed set starts empty");
            assertTrue(next.claim(p));
        }
    }

    @Test
    void panelsOfOneDepth_neverOverlap() {
        int k = 100;
        int kc = 32;
        int nr = 8;
        int n = 50;
        SharedPackedB shared = SharedPackedB.borrow(k, n, kc, nr);
        int previousEnd = shared.start;
        for (int pc = 0, slot = 0; pc < k; pc += kc, slot++) {
            int depth = Math.min(kc, k - pc);
            for (int jc = 0; jc < n; jc += 2 * nr) {
                int width = BlockSizes.roundUp(Math.min(2 * nr, n - jc), nr);
                int at = shared.offset(slot, jc, depth);
                assertTrue(at >= previousEnd, "panel (" + slot + ", " + jc + ") starts before the previous ends");
                previousEnd = at + depth * width;
            }
        }
        assertTrue(previousEnd <= shared.data.length);
        assertTrue(SharedPackedB.fits(2048, 2048, 256, 24));
        assertFalse(SharedPackedB.fits(4096, 4096, 256, 24));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kernelsAndBlocks")
    void oneAndTwoWorkers_giveTheSameBits_whenTheTilesShareB(MicroKernel kernel, BlockSizes blocks, String label) {
        // Large enough that two workers cut the rows (so tiles share B) and that the tiles run on
        // both workers; products one after another reuse the pooled panels with new values of B.
        int m = 320;
        int n = 344;
        int k = 300;
        GemmTiling tiling = GemmTiling.choose(m, n, k, kernel.mr(), kernel.nr(), 2,
                GemmTiling.sharedTilesPerWorker());
        assertTrue(tiling.cutsRows(m), "the tiling must cut rows for this test: " + tiling);
        SplittableRandom random = new SplittableRandom(47);
        for (int product = 0; product < 3; product++) {
            boolean tb = product == 1;
            double[] a = NaiveBlas.random(random, m * k);
            double[] b = NaiveBlas.random(random, k * n);
            double[] c0 = NaiveBlas.random(random, m * n);
            double[] viaOne = c0.clone();
            double[] viaTwo = c0.clone();
            Gemm.multiply(one, kernel, blocks, m, n, k, 1.25, dense(a, k), operand(b, 0, tb ? k : n, tb), 0.5,
                    dense(viaOne, n));
            Gemm.multiply(two, kernel, blocks, m, n, k, 1.25, dense(a, k), operand(b, 0, tb ? k : n, tb), 0.5,
                    dense(viaTwo, n));
            assertArrayEquals(viaOne, viaTwo, kernel.name() + " " + blocks + " product " + product);
        }
    }

    @Test
    void nestedProducts_inAnOuterLoopOnTwoWorkers_giveTheBitsOfOneWorker() {
        // Six products at once from an outer parallel loop, each sharing its own B between its tiles
        // (more products at once than the pool keeps): no product may see another's panels.
        MicroKernel kernel = MicroKernels.selected();
        BlockSizes blocks = BlockSizes.ofMachine(kernel);
        int size = 384;
        int products = 6;
        SplittableRandom random = new SplittableRandom(53);
        double[][] as = new double[products][];
        double[][] bs = new double[products][];
        double[][] expected = new double[products][];
        double[][] actual = new double[products][];
        for (int i = 0; i < products; i++) {
            as[i] = NaiveBlas.random(random, size * size);
            bs[i] = NaiveBlas.random(random, size * size);
            expected[i] = new double[size * size];
            actual[i] = new double[size * size];
            Gemm.multiply(one, kernel, blocks, size, size, size, 1.0, dense(as[i], size), dense(bs[i], size), 0.0,
                    dense(expected[i], size));
        }
        assertTrue(GemmTiling.choose(size, size, size, kernel.mr(), kernel.nr(), 2,
                GemmTiling.sharedTilesPerWorker()).cutsRows(size), "each product must share its B");
        for (int round = 0; round < 3; round++) {
            Parallel.forRange(two, 0, products, i -> Gemm.multiply(two, kernel, blocks, size, size, size, 1.0,
                    dense(as[i], size), dense(bs[i], size), 0.0, dense(actual[i], size)));
            for (int i = 0; i < products; i++) {
                assertArrayEquals(expected[i], actual[i], "product " + i + ", round " + round);
            }
        }
    }

    @Test
    void aProductThatFails_leavesTheNextOneCorrect() {
        // A B operand that claims more rows than its array holds (internal callers are trusted, so
        // only packing finds out): the product fails with the packing's exception, and the products
        // after it, which may take pooled panels, compute correctly.
        MicroKernel kernel = MicroKernels.selected();
        BlockSizes blocks = BlockSizes.ofMachine(kernel);
        int size = 320;
        SplittableRandom random = new SplittableRandom(59);
        double[] a = NaiveBlas.random(random, size * size);
        double[] shortB = NaiveBlas.random(random, size * size / 2);
        double[] c = new double[size * size];
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> Gemm.multiply(two, kernel, blocks, size, size, size,
                1.0, dense(a, size), dense(shortB, size), 0.0, dense(c, size)));
        double[] b = NaiveBlas.random(random, size * size);
        double[] expected = new double[size * size];
        Gemm.multiply(one, kernel, blocks, size, size, size, 1.0, dense(a, size), dense(b, size), 0.0,
                dense(expected, size));
        for (int round = 0; round < 3; round++) {
            double[] actual = new double[size * size];
            Gemm.multiply(two, kernel, blocks, size, size, size, 1.0, dense(a, size), dense(b, size), 0.0,
                    dense(actual, size));
            assertArrayEquals(expected, actual, "round " + round);
        }
    }
}
