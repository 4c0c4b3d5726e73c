package dev.spindle.linalg.internal;

import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;

/**
 * The symmetric rank-k update {@code C = alpha · op(A) · op(A)ᵀ + beta · C} on one triangle of C,
 * built on the GEMM driver: C is cut into square tiles (a multiple of both {@code mr} and
 * {@code nr}, so every GEMM inside stays aligned to the same micro-tile grid, and results do not
 * depend on the number of workers); tiles wholly inside the triangle are a GEMM on C, tiles the
 * diagonal crosses are a GEMM into a scratch block of which only the triangle is added, tiles
 * outside are skipped. About half the flops of the full product; the other triangle of C is
 * never read or written.
 *
 * <p>Arguments are assumed checked. Any thread may call.
 */
public final class Syrk {

    /** Target tile side, before rounding to a multiple of lcm(mr, nr). */
    static final int TILE = 192;

    private Syrk() {
    }

    /**
     * @param upper update the upper triangle ({@code i <= j}), else the lower
     * @param trans {@code op(A) = Aᵀ}: A is stored {@code k × n}; else {@code n × k}
     */
    public static void update(Scheduler scheduler, boolean upper, boolean trans, int n, int k, double alpha,
                              double[] a, int aOff, int lda, double beta, double[] c, int cOff, int ldc) {
        if (n == 0) {
            return;
        }
        MicroKernel kernel = MicroKernels.selected();
        BlockSizes blocks = Gemm.blockSizesFor(kernel);
        int step = lcm(kernel.mr(), kernel.nr());
        int tile = BlockSizes.roundUp(Math.min(n, TILE), step);
        Parallel.forTiles(scheduler, 0, n, 0, n, tile, tile, (r0, r1, c0, c1) -> {
            boolean inside = upper ? r1 - 1 <= c0 : r0 >= c1 - 1;
            boolean outside = upper ? r0 > c1 - 1 : r1 - 1 < c0;
            if (outside) {
                return;
            }
            int rows = r1 - r0;
            int cols = c1 - c0;
            // op(A) rows r0.. and op(A) rows c0.. (the latter read transposed as B)
            int left = trans ? aOff + r0 : aOff + r0 * lda;
            int right = trans ? aOff + c0 : aOff + c0 * lda;
            if (inside) {
                Gemm.multiply(scheduler, kernel, blocks, trans, !trans, rows, cols, k, alpha, a, left, lda, a, right,
                        lda, beta, c, cOff + r0 * ldc + c0, ldc);
                return;
            }
            double[] block = new double[rows * cols];
            Gemm.multiply(scheduler, kernel, blocks, trans, !trans, rows, cols, k, alpha, a, left, lda, a, right,
                    lda, 0.0, block, 0, cols);
            for (int i = r0; i < r1; i++) {
                int from = upper ? Math.max(i, c0) : c0;
                int to = upper ? c1 : Math.min(i + 1, c1);
                int row = cOff + i * ldc;
                for (int j = from; j < to; j++) {
                    double old = beta == 0.0 ? 0.0 : beta * c[row + j];
                    c[row + j] = old + block[(i - r0) * cols + (j - c0)];
                }
            }
        });
    }

    private static int lcm(int x, int y) {
        int a = x;
        int b = y;
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return x / a * y;
    }
}
