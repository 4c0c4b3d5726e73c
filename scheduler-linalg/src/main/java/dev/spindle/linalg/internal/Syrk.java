package dev.spindle.linalg.internal;

import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;
import dev.spindle.linalg.internal.kernel.MicroKernel;
import dev.spindle.linalg.internal.kernel.MicroKernels;

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
     * @param a {@code op(A)}, {@code n × k}: A stored {@code n × k}, or {@code k × n} when transposed
     * @param c the {@code n × n} matrix C, not transposed
     */
    public static void update(Scheduler scheduler, boolean upper, int n, int k, double alpha, MatrixOperand a,
                              double beta, MatrixOperand c) {
        if (n == 0) {
            return;
        }
        MicroKernel kernel = MicroKernels.forProduct();
        BlockSizes blocks = BlockSizes.ofMachine(kernel);
        int step = lcm(kernel.mr(), kernel.nr());
        int tile = BlockSizes.roundUp(Math.min(n, TILE), step);
        MatrixOperand aTransposed = a.transpose();
        Parallel.forTiles(scheduler, 0, n, 0, n, tile, tile, (r0, r1, c0, c1) -> {
            boolean inside = upper ? r1 - 1 <= c0 : r0 >= c1 - 1;
            boolean outside = upper ? r0 > c1 - 1 : r1 - 1 < c0;
            if (outside) {
                return;
            }
            int rows = r1 - r0;
            int cols = c1 - c0;
            // C[r0.., c0..] = op(A)[r0.., :] · op(A)[c0.., :]ᵀ: the right factor is op(A)ᵀ from column c0
            MatrixOperand left = a.from(r0, 0);
            MatrixOperand right = aTransposed.from(0, c0);
            if (inside) {
                Gemm.multiply(scheduler, kernel, blocks, rows, cols, k, alpha, left, right, beta, c.from(r0, c0));
                return;
            }
            double[] block = new double[rows * cols];
            Gemm.multiply(scheduler, kernel, blocks, rows, cols, k, alpha, left, right, 0.0,
                    new MatrixOperand(block, 0, Math.max(1, cols), false));
            double[] cArray = c.array;
            for (int i = r0; i < r1; i++) {
                int from = upper ? Math.max(i, c0) : c0;
                int to = upper ? c1 : Math.min(i + 1, c1);
                int row = c.index(i, 0);
                for (int j = from; j < to; j++) {
                    double old = beta == 0.0 ? 0.0 : beta * cArray[row + j];
                    cArray[row + j] = old + block[(i - r0) * cols + (j - c0)];
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
