package dev.spindle.linalg.internal;

import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The GEMM driver, {@code C = alpha · op(A) · op(B) + beta · C} on row-major arrays, in the
 * Goto/BLIS shape (see {@code docs/design/gemm.md}):
 *
 * <pre>
 * tiles of C (tileRows × tileCols, multiples of mr × nr) as tasks, split lazily by Parallel.forTiles
 *   scale the tile by beta
 *   for ic over the tile's rows, step mc
 *     for pc over k, step kc:       pack alpha · A[ic.., pc..] into this thread's block (mc × kc)
 *       for jc over the tile's columns, step nc:  pack B[pc.., jc..] (kc × nc)
 *         for ir, step mr; for jr, step nr:  micro-kernel on one mr × nr block of C
 *           (the A sliver stays in L1, B slivers stream from L2, and C is walked along its rows,
 *            which the hardware prefetchers follow)
 * </pre>
 *
 * <p>Every tile boundary is a multiple of {@code mr} and {@code nr} from the origin, and
 * {@code kc} does not depend on the tiling, so each element of C is computed by the same
 * operations in the same order whatever the tiling and whichever worker runs it: results are
 * bit-for-bit the same on 1 and on many workers.
 *
 * <p>Arguments are assumed checked ({@link BlasArguments}). Any thread may call.
 */
public final class Gemm {

    /** Below this many flops a product runs on the calling thread: a task would cost more than it saves. */
    static final long INLINE_FLOPS = 2L * 48 * 48 * 48;

    /** Products with {@code m·n·k} at most this are done by a plain loop, without packing (whole products only, never single tiles, so the choice cannot depend on the tiling). */
    static final long SMALL_VOLUME = 8L * 8 * 8;

    /** Tiles per worker that the tiling aims for, so lazy splitting can balance the load. */
    static final int TILES_PER_WORKER = 2;

    /** The smallest tile side the tiling will cut to, in elements (before rounding to mr / nr). */
    static final int MIN_TILE_SIDE = 64;

    /**
     * The fewest flops a tile may hold when the tiling halves one ({@code 2·192³}): every tile packs
     * its own panels, so a smaller tile costs more in packing than a second worker gains (measured
     * in {@code docs/design/gemm.md}).
     */
    static final long MIN_TILE_FLOPS = 2L * 192 * 192 * 192;

    /**
     * The most doubles of packed A a thread keeps from one tile to the next (16 MiB). Tiles are
     * taken in row-major order, so a worker usually runs the tiles of one row band one after the
     * other; each packs the same rows of A over the same depth. When a tile does not span every
     * column (so other tiles share its rows) and a row block over all of k fits in this many
     * doubles, the tile packs every (ic, pc) block into its own slot and leaves them there, and the
     * next tile of the same product and rows uses them as they are (measured in
     * {@code docs/design/gemm.md}, "Keeping packed A between tiles"). A tile that spans every
     * column packs one block at a time into one slot, as before: nothing could reuse more.
     *
     * <p>The cost is memory: a thread's A buffer only grows, so a worker that has run a tile of a
     * wide, deep product keeps up to this much (16 MiB; 4 MiB after n = 1024 on two workers,
     * against 2 MiB for one block) until the thread ends.
     */
    static final int MAX_KEPT_A = 1 << 21;

    /** Sequence numbers of products, so a thread's kept A is never taken for another product's. */
    private static final AtomicLong PRODUCTS = new AtomicLong();

    /**
     * This product's sequence number, drawn only when its tiling cuts the columns (the only case in
     * which a kept A block can be reused), before any tile is forked: a kept A block of this number
     * holds this product's A. 0 until drawn; numbers start at 1.
     */
    private long productNumber;
    private final MicroKernel kernel;
    private final BlockSizes blocks;
    private final boolean transA;
    private final boolean transB;
    private final int k;
    private final double alpha;
    private final double[] a;
    private final int aOff;
    private final int lda;
    private final double[] b;
    private final int bOff;
    private final int ldb;
    private final double beta;
    private final double[] c;
    private final int cOff;
    private final int ldc;
    /** Decided once for the whole product, so it never depends on the tiling. */
    private final boolean small;

    private Gemm(MicroKernel kernel, BlockSizes blocks, boolean transA, boolean transB, int m, int n, int k,
                 double alpha, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                 double beta, double[] c, int cOff, int ldc) {
        this.kernel = kernel;
        this.blocks = blocks;
        this.transA = transA;
        this.transB = transB;
        this.k = k;
        this.alpha = alpha;
        this.a = a;
        this.aOff = aOff;
        this.lda = lda;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.beta = beta;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
        this.small = (long) m * n * k <= SMALL_VOLUME;
    }

    /** The product with the selected kernel and this machine's block sizes. */
    public static void multiply(Scheduler scheduler, boolean transA, boolean transB, int m, int n, int k,
                                double alpha, double[] a, int aOff, int lda, double[] b, int bOff,
                                int ldb, double beta, double[] c, int cOff, int ldc) {
        MicroKernel kernel = MicroKernels.selected();
        multiply(scheduler, kernel, DefaultBlocks.of(kernel), transA, transB, m, n, k, alpha, a, aOff,
                lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The product with a given kernel and block sizes (tests and benchmarks compare kernels). */
    public static void multiply(Scheduler scheduler, MicroKernel kernel, BlockSizes blocks,
                                boolean transA, boolean transB, int m, int n, int k, double alpha,
                                double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                double beta, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        Gemm gemm = new Gemm(kernel, blocks, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc);
        long volume = (long) m * n * Math.max(k, 1);
        if (2 * volume <= INLINE_FLOPS) {
            gemm.tile(0, m, 0, n);
            return;
        }
        int mr = kernel.mr();
        int nr = kernel.nr();
        int parallelism = scheduler.parallelism();
        // Start from one tile of the whole of C and halve only until every worker has tiles: a tile
        // packs its own B panels, so every extra row of tiles packs B again; an extra column of
        // tiles packs A again only where a worker does not run the tiles of a row band in turn
        // (see MAX_KEPT_A). Inside a tile, mc and nc block the loops.
        int tileRows = BlockSizes.roundUp(m, mr);
        int tileCols = BlockSizes.roundUp(n, nr);
        long wanted = (long) TILES_PER_WORKER * parallelism;
        while (parallelism > 1 && tiles(m, tileRows) * tiles(n, tileCols) < wanted) {
            boolean rowsCanHalve = tileRows / 2 >= Math.max(mr, MIN_TILE_SIDE)
                    && 2L * (tileRows / 2) * tileCols * k >= MIN_TILE_FLOPS;
            boolean colsCanHalve = tileCols / 2 >= Math.max(nr, MIN_TILE_SIDE)
                    && 2L * tileRows * (tileCols / 2) * k >= MIN_TILE_FLOPS;
            if (rowsCanHalve && (tileRows >= tileCols || !colsCanHalve)) {
                tileRows = BlockSizes.roundUp(tileRows / 2, mr);
            } else if (colsCanHalve) {
                tileCols = BlockSizes.roundUp(tileCols / 2, nr);
            } else {
                break;
            }
        }
        if (tileCols < n) {
            gemm.productNumber = PRODUCTS.incrementAndGet();   // published to the tiles by the fork
        }
        Parallel.forTiles(scheduler, 0, m, 0, n, tileRows, tileCols, gemm::tile);
    }

    /**
     * The whole product on the calling thread, as one tile, with the selected kernel: no task is
     * forked and no scheduler is touched. Gives the same bits as {@link #multiply(Scheduler,
     * boolean, boolean, int, int, int, double, double[], int, int, double[], int, int, double,
     * double[], int, int)}, since results do not depend on the tiling.
     */
    public static void multiplyOnCallingThread(boolean transA, boolean transB, int m, int n, int k,
                                               double alpha, double[] a, int aOff, int lda, double[] b,
                                               int bOff, int ldb, double beta, double[] c, int cOff,
                                               int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        MicroKernel kernel = MicroKernels.selected();
        new Gemm(kernel, DefaultBlocks.of(kernel), transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff,
                ldb, beta, c, cOff, ldc).tile(0, m, 0, n);
    }

    /**
     * The block length for {@code extent} that needs as few blocks of at most {@code max} as
     * possible and makes them nearly equal, rounded up to a multiple of {@code multiple} (so an
     * extent of 1024 with blocks of at most 1008 is cut 528 + 496, not 1008 + 16).
     */
    static int balanced(int extent, int max, int multiple) {
        long blocks = tiles(extent, max);
        return BlockSizes.roundUp((int) ((extent + blocks - 1) / blocks), multiple);
    }

    private static long tiles(int extent, int tile) {
        return (extent + (long) tile - 1) / tile;
    }

    /**
     * A driver whose tiles the caller runs itself with {@link #tile}, numbered as if its columns
     * were cut (so tiles may keep packed A for each other): for tests of the tile body.
     */
    static Gemm numbered(MicroKernel kernel, BlockSizes blocks, boolean transA, boolean transB, int m, int n,
                         int k, double alpha, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                         double beta, double[] c, int cOff, int ldc) {
        Gemm gemm = new Gemm(kernel, blocks, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta,
                c, cOff, ldc);
        gemm.productNumber = PRODUCTS.incrementAndGet();
        return gemm;
    }

    /** Computes rows {@code [r0, r1)} × columns {@code [c0, c1)} of C on the calling thread. */
    void tile(int r0, int r1, int c0, int c1) {
        boolean product = alpha != 0.0 && k != 0;
        // With beta == 0 the first pass over k writes C without reading it (multiplySet), so C
        // need not be zeroed first: one pass fewer over C, and no read of it in the first pass.
        boolean overwrite = product && !small && beta == 0.0;
        if (!overwrite) {
            scaleByBeta(r0, r1, c0, c1);
        }
        if (!product) {
            return;
        }
        if (small) {
            smallProduct(r0, r1, c0, c1);
            return;
        }
        int mr = kernel.mr();
        int nr = kernel.nr();
        int mcStep = balanced(r1 - r0, blocks.mc, mr);
        int ncStep = balanced(c1 - c0, blocks.nc, nr);
        int kcMax = Math.min(blocks.kc, k);
        // One (ic, pc) block of packed A. When other tiles share this tile's rows (the product has a
        // number only if its tiling cut the columns) and a whole row block over all of k fits the
        // limit, every pc block gets its own slot, kept for the next tile of the same rows.
        int blockA = BlockSizes.roundUp(mcStep, mr) * kcMax;
        int depthBlocks = (int) tiles(k, blocks.kc);
        GemmBuffers buffers = GemmBuffers.acquire();
        boolean keepA = productNumber != 0 && buffers.keepsA && (long) blockA * depthBlocks <= MAX_KEPT_A;
        try {
            buffers.ensure(keepA ? blockA * depthBlocks : blockA, ncStep * kcMax, mr * nr);
            for (int ic = r0; ic < r1; ic += mcStep) {
                int mc = Math.min(mcStep, r1 - ic);
                boolean packedAlready = keepA && buffers.keptAProduct == productNumber && buffers.keptARow == ic
                        && buffers.keptARows == mc;
                buffers.keptAProduct = 0;                // nothing kept until this row block is packed whole
                for (int pc = 0, slot = 0; pc < k; pc += blocks.kc, slot++) {
                    int kc = Math.min(blocks.kc, k - pc);
                    int aAt = buffers.startA + (keepA ? slot * blockA : 0);
                    if (!packedAlready) {
                        Packing.packA(transA, a, aOff, lda, ic, pc, mc, kc, alpha, mr, buffers.packedA, aAt);
                    }
                    for (int jc = c0; jc < c1; jc += ncStep) {
                        int nc = Math.min(ncStep, c1 - jc);
                        Packing.packB(transB, b, bOff, ldb, pc, jc, kc, nc, nr, buffers.packedB,
                                buffers.startB);
                        macroKernel(buffers, aAt, ic, jc, mc, nc, kc, overwrite && pc == 0);
                    }
                }
                if (keepA) {
                    buffers.keptAProduct = productNumber;
                    buffers.keptARow = ic;
                    buffers.keptARows = mc;
                }
            }
        } finally {
            buffers.release();
        }
    }

    /** All micro-kernel calls over one packed A block (from {@code startA}) and one packed B panel. */
    private void macroKernel(GemmBuffers buffers, int startA, int ic, int jc, int mc, int nc, int kc,
                             boolean overwrite) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        double[] packedA = buffers.packedA;
        double[] packedB = buffers.packedB;
        for (int ir = 0; ir < mc; ir += mr) {
            int rows = Math.min(mr, mc - ir);
            int aAt = startA + (ir / mr) * kc * mr;
            for (int jr = 0; jr < nc; jr += nr) {
                int cols = Math.min(nr, nc - jr);
                int bAt = buffers.startB + (jr / nr) * kc * nr;
                int cAt = cOff + (ic + ir) * ldc + jc + jr;
                if (rows == mr && cols == nr) {
                    if (overwrite) {
                        kernel.multiplySet(kc, packedA, aAt, packedB, bAt, c, cAt, ldc);
                    } else {
                        kernel.multiplyAdd(kc, packedA, aAt, packedB, bAt, c, cAt, ldc);
                    }
                } else {
                    double[] edge = buffers.edge;
                    kernel.multiplySet(kc, packedA, aAt, packedB, bAt, edge, 0, nr);
                    for (int i = 0; i < rows; i++) {
                        int row = cAt + i * ldc;
                        for (int j = 0; j < cols; j++) {
                            if (overwrite) {
                                c[row + j] = edge[i * nr + j];
                            } else {
                                c[row + j] += edge[i * nr + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code C = beta · C} on the tile; {@code beta == 0} writes zeros without reading C. */
    private void scaleByBeta(int r0, int r1, int c0, int c1) {
        if (beta == 1.0) {
            return;
        }
        for (int i = r0; i < r1; i++) {
            int row = cOff + i * ldc;
            if (beta == 0.0) {
                Arrays.fill(c, row + c0, row + c1, 0.0);
            } else {
                for (int j = row + c0; j < row + c1; j++) {
                    c[j] *= beta;
                }
            }
        }
    }

    /** A tiny product as a plain loop: packing would cost more than the arithmetic. */
    private void smallProduct(int r0, int r1, int c0, int c1) {
        for (int i = r0; i < r1; i++) {
            for (int j = c0; j < c1; j++) {
                double sum = 0.0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += x * y;
                }
                c[cOff + i * ldc + j] += alpha * sum;
            }
        }
    }

    /** Block sizes of the two kernels on this machine, derived once. */
    private static final class DefaultBlocks {
        private static final BlockSizes PORTABLE =
                BlockSizes.forKernel(MicroKernels.portable(), CacheSizes.current());
        private static final BlockSizes SELECTED = MicroKernels.selected() == MicroKernels.portable()
                ? PORTABLE : BlockSizes.forKernel(MicroKernels.selected(), CacheSizes.current());

        static BlockSizes of(MicroKernel kernel) {
            if (kernel == MicroKernels.selected()) {
                return SELECTED;
            }
            if (kernel == MicroKernels.portable()) {
                return PORTABLE;
            }
            return BlockSizes.forKernel(kernel, CacheSizes.current());
        }
    }

    /** The block sizes {@link #multiply(Scheduler, boolean, boolean, int, int, int, double, double[], int, int, double[], int, int, double, double[], int, int)} uses for {@code kernel}. */
    public static BlockSizes blockSizesFor(MicroKernel kernel) {
        return DefaultBlocks.of(kernel);
    }
}
