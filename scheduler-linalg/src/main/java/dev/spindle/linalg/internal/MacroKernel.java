package dev.spindle.linalg.internal;

import dev.spindle.linalg.internal.kernel.MicroKernel;

/**
 * The two innermost GEMM loops: every micro-kernel call over one packed block of A
 * ({@code mc × kc}) and one packed panel of B ({@code kc × nc}), updating the
 * {@code mc × nc} block of C they produce. {@code ir} (steps of {@code mr}) is the outer loop and
 * {@code jr} (steps of {@code nr}) the inner one, so the A sliver stays in L1 while B slivers
 * stream from L2, and C is walked along its rows, which the hardware prefetchers follow.
 *
 * <p>A full {@code mr × nr} block is written by the kernel straight into C. A block at the edge of
 * C is computed whole (the packed slivers are zero-padded) into the thread's scratch block and
 * only its valid part is added to C, so padding ({@code 0 · ∞ = NaN}) never reaches C.
 *
 * <p>One per product; {@link #run} allocates nothing. Any thread, on packing buffers it owns.
 */
final class MacroKernel {

    private final MicroKernel kernel;
    private final double[] c;
    private final int cOff;
    private final int ldc;

    /** The macro-kernel of one product: its micro-kernel, and C (never transposed). */
    MacroKernel(MicroKernel kernel, MatrixOperand c) {
        this.kernel = kernel;
        this.c = c.array;
        this.cOff = c.offset;
        this.ldc = c.ld;
    }

    /**
     * {@code C[ic.., jc..] (mc × nc) += Ã · B̃}, with Ã at {@code startA} of the thread's packed A
     * and B̃ at {@code startB} of {@code packedB} (the thread's own panel, or one shared by the
     * product's tiles); with {@code overwrite}, {@code =} instead of {@code +=} (C is only written,
     * never read).
     */
    void run(GemmBuffers buffers, int startA, double[] packedB, int startB, int ic, int jc, int mc, int nc, int kc,
             boolean overwrite) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        double[] packedA = buffers.packedA;
        for (int ir = 0; ir < mc; ir += mr) {
            int rows = Math.min(mr, mc - ir);
            int aAt = startA + (ir / mr) * kc * mr;
            for (int jr = 0; jr < nc; jr += nr) {
                int cols = Math.min(nr, nc - jr);
                int bAt = startB + (jr / nr) * kc * nr;
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
}
