package dev.spindle.linalg.internal;

import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;
import dev.spindle.linalg.internal.kernel.MicroKernel;
import dev.spindle.linalg.internal.kernel.MicroKernels;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The GEMM driver, {@code C = alpha · op(A) · op(B) + beta · C} on row-major arrays, in the
 * Goto/BLIS shape (see {@code docs/design/gemm.md}): the product is cut into tiles of C by
 * {@code GemmTiling}, each a task of {@code Parallel.forTiles}, and each tile runs the three
 * blocked loops here:
 *
 * <pre>
 * scale the tile by beta (or not at all: with beta == 0 the first pass over k writes C)
 * for ic over the tile's rows, step mc
 *   for pc over k, step kc:       pack alpha · A[ic.., pc..] into this thread's block (mc × kc),
 *                                 unless this thread's previous tile left it packed
 *     for jc over the tile's columns, step nc:  pack B[pc.., jc..] (kc × nc), or, when the
 *                                 product's tiles share B, use the panel another tile packed
 *       MacroKernel: for ir, step mr; for jr, step nr: micro-kernel on one mr × nr block of C
 * </pre>
 *
 * A product of at most {@code SmallGemm.MAX_VOLUME} multiply-adds skips packing ({@code SmallGemm}).
 * A product cut into more than one row band shares one packed B between its tiles
 * ({@link SharedPackedB}): each panel is packed once, by whichever tile claims it first, and no tile
 * ever waits for another.
 *
 * <p>Every tile boundary is a multiple of {@code mr} and {@code nr} from the origin, and
 * {@code kc} does not depend on the tiling, so each element of C is computed by the same
 * operations in the same order whatever the tiling and whichever worker runs it: results are
 * bit-for-bit the same on 1 and on many workers.
 *
 * <p>The operands are {@link MatrixOperand}s built and checked once per call at the API boundary;
 * nothing here checks them again. One driver object per product; the tile body allocates nothing
 * once the thread's {@code GemmBuffers} are large enough. Any thread may call.
 */
public final class Gemm {

    /**
     * The most doubles of packed A a thread keeps from one tile to the next (16 MiB). Tiles are
     * taken in row-major order, so a worker usually runs the tiles of one row band one after the
     * other; each packs the same rows of A over the same depth. When a tile does not span every
     * column (so other tiles share its rows) and a row block over all of k fits in this many
     * doubles, the tile packs every (ic, pc) block into its own slot and leaves them there, and the
     * next tile of the same product and rows uses them as they are. A tile that spans every column
     * packs one block at a time into one slot: nothing could reuse more.
     *
     * <p>The cost is memory: a thread's A buffer only grows, so a worker that has run a tile of a
     * wide, deep product keeps up to this much until the thread ends.
     */
    static final int MAX_KEPT_A = 1 << 21;

    /** Sequence numbers of products, so a thread's kept A is never taken for another product's. */
    private static final AtomicLong PRODUCTS = new AtomicLong();

    /**
     * Whether products share packed B between tiles: yes unless {@code -Dspindle.linalg.sharedB=false}
     * (for comparisons). Read per product, so a bad value fails the call that reads it, naming it.
     */
    private static boolean sharesB() {
        String text = System.getProperty("spindle.linalg.sharedB");
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("true")) {
            return true;
        }
        if (text.trim().equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("system property spindle.linalg.sharedB must be true or false, was '"
                + text + "'");
    }

    /**
     * This product's sequence number, drawn only when its tiling cuts the columns (the only case in
     * which a kept A block can be reused), before any tile is forked: a kept A block of this number
     * holds this product's A. 0 until drawn; numbers start at 1.
     */
    private long productNumber;
    /**
     * The product's packed B, shared by its tiles, or null when every tile packs its own panels (one
     * tile, a product that runs on the calling thread, or a B too large to share). Set, like
     * {@link #sharedRows}, before any tile is forked, which publishes it to the tiles.
     */
    private SharedPackedB sharedB;
    /** Rows per tile when {@link #sharedB} is set: a tile's row band picks the panel it starts with. */
    private int sharedRows;
    private final MicroKernel kernel;
    private final BlockSizes blocks;
    private final MacroKernel macroKernel;
    private final int k;
    private final double alpha;
    private final MatrixOperand a;
    private final MatrixOperand b;
    private final double beta;
    private final MatrixOperand c;
    /** Decided once for the whole product, so it never depends on the tiling. */
    private final boolean small;

    private Gemm(MicroKernel kernel, BlockSizes blocks, int m, int n, int k, double alpha, MatrixOperand a,
                 MatrixOperand b, double beta, MatrixOperand c) {
        this.kernel = kernel;
        this.blocks = blocks;
        this.macroKernel = new MacroKernel(kernel, c);
        this.k = k;
        this.alpha = alpha;
        this.a = a;
        this.b = b;
        this.beta = beta;
        this.c = c;
        this.small = SmallGemm.applies(m, n, k);
    }

    /**
     * The product with the kernel {@code MicroKernels.forProduct()} gives it and this machine's block
     * sizes, in tiles on {@code scheduler}.
     */
    public static void multiply(Scheduler scheduler, int m, int n, int k, double alpha, MatrixOperand a,
                                MatrixOperand b, double beta, MatrixOperand c) {
        MicroKernel kernel = MicroKernels.forProduct();
        multiply(scheduler, kernel, BlockSizes.ofMachine(kernel), m, n, k, alpha, a, b, beta, c);
    }

    /** The product with a given kernel and block sizes (tests and benchmarks compare kernels). */
    public static void multiply(Scheduler scheduler, MicroKernel kernel, BlockSizes blocks, int m, int n, int k,
                                double alpha, MatrixOperand a, MatrixOperand b, double beta, MatrixOperand c) {
        if (m == 0 || n == 0) {
            return;
        }
        Gemm gemm = new Gemm(kernel, blocks, m, n, k, alpha, a, b, beta, c);
        boolean mayShareB = !gemm.small && alpha != 0.0 && k != 0
                && SharedPackedB.fits(k, n, blocks.kc, kernel.nr()) && sharesB();
        GemmTiling tiling = mayShareB
                ? GemmTiling.choose(m, n, k, kernel.mr(), kernel.nr(), scheduler.parallelism(),
                        GemmTiling.sharedTilesPerWorker())
                : GemmTiling.choose(m, n, k, kernel.mr(), kernel.nr(), scheduler.parallelism());
        if (tiling.onCallingThread) {
            gemm.tile(0, m, 0, n);
            return;
        }
        if (tiling.cutsColumns(n)) {
            gemm.productNumber = PRODUCTS.incrementAndGet();   // published to the tiles by the fork
        }
        if (!mayShareB || !tiling.cutsRows(m)) {
            Parallel.forTiles(scheduler, 0, m, 0, n, tiling.tileRows, tiling.tileCols, gemm::tile);
            return;
        }
        // Tiles in more than one row band use the same B panels: pack each once for all of them.
        SharedPackedB shared = SharedPackedB.borrow(k, n, blocks.kc, kernel.nr());
        gemm.sharedB = shared;                           // published to the tiles by the fork
        gemm.sharedRows = tiling.tileRows;
        Parallel.forTiles(scheduler, 0, m, 0, n, tiling.tileRows, tiling.tileCols, gemm::tile);
        // Only after every tile has finished (forTiles returns after all its parts, also when one
        // failed; on a failure the array is simply not reused).
        shared.giveBack();
    }

    /**
     * The whole product on the calling thread, as one tile, with the kernel
     * {@code MicroKernels.forProduct()} gives it: no task is forked and no scheduler is touched.
     * Gives the same bits as {@link #multiply(Scheduler, int, int, int, double, MatrixOperand,
     * MatrixOperand, double, MatrixOperand)} with the same kernel, since results do not depend on
     * the tiling.
     */
    public static void multiplyOnCallingThread(int m, int n, int k, double alpha, MatrixOperand a, MatrixOperand b,
                                               double beta, MatrixOperand c) {
        if (m == 0 || n == 0) {
            return;
        }
        MicroKernel kernel = MicroKernels.forProduct();
        new Gemm(kernel, BlockSizes.ofMachine(kernel), m, n, k, alpha, a, b, beta, c).tile(0, m, 0, n);
    }

    /**
     * A driver whose tiles the caller runs itself with {@link #tile}, numbered as if its columns
     * were cut (so tiles may keep packed A for each other): for tests of the tile body.
     */
    static Gemm numbered(MicroKernel kernel, BlockSizes blocks, int m, int n, int k, double alpha, MatrixOperand a,
                         MatrixOperand b, double beta, MatrixOperand c) {
        Gemm gemm = new Gemm(kernel, blocks, m, n, k, alpha, a, b, beta, c);
        gemm.productNumber = PRODUCTS.incrementAndGet();
        return gemm;
    }

    /**
     * A driver whose tiles the caller runs itself with {@link #tile}, sharing one packed B between
     * tiles of {@code tileRows} rows: for tests of the sharing ({@link #sharedB()}).
     */
    static Gemm sharing(MicroKernel kernel, BlockSizes blocks, int m, int n, int k, double alpha, MatrixOperand a,
                        MatrixOperand b, double beta, MatrixOperand c, int tileRows) {
        Gemm gemm = numbered(kernel, blocks, m, n, k, alpha, a, b, beta, c);
        gemm.sharedB = SharedPackedB.borrow(k, n, blocks.kc, kernel.nr());
        gemm.sharedRows = tileRows;
        return gemm;
    }

    /** The packed B this product's tiles share, or null. */
    SharedPackedB sharedB() {
        return sharedB;
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
            SmallGemm.multiplyAdd(r0, r1, c0, c1, k, alpha, a, b, c);
            return;
        }
        int mr = kernel.mr();
        int nr = kernel.nr();
        int mcStep = BlockSizes.balanced(r1 - r0, blocks.mc, mr);
        int ncStep = BlockSizes.balanced(c1 - c0, blocks.nc, nr);
        int kcMax = Math.min(blocks.kc, k);
        // One (ic, pc) block of packed A. When other tiles share this tile's rows (the product has a
        // number only if its tiling cut the columns) and a whole row block over all of k fits the
        // limit, every pc block gets its own slot, kept for the next tile of the same rows.
        int blockA = BlockSizes.roundUp(mcStep, mr) * kcMax;
        int depthBlocks = (int) GemmTiling.tiles(k, blocks.kc);
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
                        Packing.packA(a, ic, pc, mc, kc, alpha, mr, buffers.packedA, aAt);
                    }
                    if (sharedB != null) {
                        sharedPanels(buffers, aAt, ic, mc, slot, pc, kc, c0, c1, ncStep, overwrite && pc == 0);
                        continue;
                    }
                    for (int jc = c0; jc < c1; jc += ncStep) {
                        int nc = Math.min(ncStep, c1 - jc);
                        Packing.packB(b, pc, jc, kc, nc, nr, buffers.packedB, buffers.startB);
                        macroKernel.run(buffers, aAt, buffers.packedB, buffers.startB, ic, jc, mc, nc, kc,
                                overwrite && pc == 0);
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

    /**
     * One row block of A (packed at {@code aAt}) times every B panel of depth block {@code slot}
     * in columns {@code [c0, c1)}, with the panels shared by the product's tiles: a panel another
     * tile has packed is used as it is, an unclaimed one is claimed and packed here for everyone,
     * and one that another thread is packing right now is left for last and then, if still not
     * ready, packed into this thread's own buffer (never waited for: {@link SharedPackedB}). The
     * row band picks the panel to start with, so tiles of different row bands running at once
     * start on different panels (each packs one, then uses the other's). The order of the panels
     * does not change any element of C: each gets exactly one update per depth block.
     */
    private void sharedPanels(GemmBuffers buffers, int aAt, int ic, int mc, int slot, int pc, int kc, int c0,
                              int c1, int ncStep, boolean overwrite) {
        SharedPackedB shared = sharedB;
        int nr = kernel.nr();
        int panels = (c1 - c0 + ncStep - 1) / ncStep;
        int first = (ic / sharedRows) % panels;
        long later = 0;                                  // panels another thread was packing (up to 64)
        for (int t = 0; t < panels; t++) {
            int j = first + t < panels ? first + t : first + t - panels;
            int jc = c0 + j * ncStep;
            int nc = Math.min(ncStep, c1 - jc);
            int panel = shared.panel(slot, jc);
            int at = shared.offset(slot, jc, kc);
            if (!shared.isReady(panel)) {
                if (shared.claim(panel)) {
                    Packing.packB(b, pc, jc, kc, nc, nr, shared.data, at);
                    shared.publish(panel);
                } else if (j < Long.SIZE) {
                    later |= 1L << j;
                    continue;
                } else {
                    ownPanel(buffers, aAt, ic, mc, pc, kc, jc, nc, overwrite);
                    continue;
                }
            }
            macroKernel.run(buffers, aAt, shared.data, at, ic, jc, mc, nc, kc, overwrite);
        }
        while (later != 0) {
            int j = Long.numberOfTrailingZeros(later);
            later &= later - 1;
            int jc = c0 + j * ncStep;
            int nc = Math.min(ncStep, c1 - jc);
            int panel = shared.panel(slot, jc);
            if (shared.isReady(panel)) {
                macroKernel.run(buffers, aAt, shared.data, shared.offset(slot, jc, kc), ic, jc, mc, nc, kc, overwrite);
            } else {
                ownPanel(buffers, aAt, ic, mc, pc, kc, jc, nc, overwrite);
            }
        }
    }

    /** One B panel packed into this thread's own buffer and used at once (the shared one was not ready). */
    private void ownPanel(GemmBuffers buffers, int aAt, int ic, int mc, int pc, int kc, int jc, int nc,
                          boolean overwrite) {
        Packing.packB(b, pc, jc, kc, nc, kernel.nr(), buffers.packedB, buffers.startB);
        macroKernel.run(buffers, aAt, buffers.packedB, buffers.startB, ic, jc, mc, nc, kc, overwrite);
    }

    /** {@code C = beta · C} on the tile; {@code beta == 0} writes zeros without reading C. */
    private void scaleByBeta(int r0, int r1, int c0, int c1) {
        if (beta == 1.0) {
            return;
        }
        double[] cArray = c.array;
        for (int i = r0; i < r1; i++) {
            int row = c.offset + i * c.ld;
            if (beta == 0.0) {
                Arrays.fill(cArray, row + c0, row + c1, 0.0);
            } else {
                for (int j = row + c0; j < row + c1; j++) {
                    cArray[j] *= beta;
                }
            }
        }
    }
}
