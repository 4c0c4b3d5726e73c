package dev.spindle.linalg.internal;

import java.util.Arrays;

/**
 * Copies a block of A or B into the contiguous, zero-padded sliver layout the micro-kernels read
 * (see {@link dev.spindle.linalg.internal.kernel.MicroKernel}). Packing turns strided reads (and
 * the transposes) into one pass over the source, and leaves the kernel a unit-stride stream that
 * fits the caches and never crosses a page or a TLB entry it did not need.
 *
 * <p>Pure functions of their arguments; any thread, on buffers the caller owns.
 */
final class Packing {

    /** Rows of B packed per band (see {@link #packB}; why 8: {@code docs/design/gemm.md}, "Packing layout"). */
    private static final int B_ROWS = 8;

    private Packing() {
    }

    /**
     * Packs {@code alpha · A[i0 .. i0+mc) × [p0 .. p0+kc)} as slivers of {@code mr} rows:
     * {@code dst[dstOff + s·kc·mr + p·mr + i] = alpha · A(i0 + s·mr + i, p0 + p)}, zero beyond {@code mc}.
     * {@code A(i, p)} is element {@code (i, p)} of {@code op(A)} ({@link MatrixOperand}).
     */
    static void packA(MatrixOperand operand, int i0, int p0, int mc, int kc, double alpha, int mr, double[] dst,
                      int dstOff) {
        boolean transA = operand.transposed;
        double[] a = operand.array;
        int aOff = operand.offset;
        int lda = operand.ld;
        int slivers = (mc + mr - 1) / mr;
        for (int s = 0; s < slivers; s++) {
            int base = dstOff + s * kc * mr;
            int rows = Math.min(mr, mc - s * mr);
            int firstRow = i0 + s * mr;
            if (transA) {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + firstRow;
                    int d = base + p * mr;
                    if (alpha == 1.0) {
                        System.arraycopy(a, src, dst, d, rows);
                    } else {
                        for (int i = 0; i < rows; i++) {
                            dst[d + i] = alpha * a[src + i];
                        }
                    }
                    for (int i = rows; i < mr; i++) {
                        dst[d + i] = 0.0;
                    }
                }
            } else if (rows == mr && mr == 8) {
                packFullSliver8(a, aOff + firstRow * lda + p0, lda, kc, alpha, dst, base);
            } else if (rows == mr && mr == 4) {
                packFullSliver4(a, aOff + firstRow * lda + p0, lda, kc, alpha, dst, base);
            } else {
                for (int i = 0; i < rows; i++) {
                    int src = aOff + (firstRow + i) * lda + p0;
                    int d = base + i;
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * mr] = alpha * a[src + p];
                    }
                }
                for (int i = rows; i < mr; i++) {
                    for (int p = 0; p < kc; p++) {
                        dst[base + i + p * mr] = 0.0;
                    }
                }
            }
        }
    }

    /**
     * One full sliver of 8 rows of A, not transposed: the rows are read side by side, each through
     * its own index that is linear in {@code p}, so C2 hoists every range check out of the loop and
     * the body is 8 loads, 8 multiplies and 8 contiguous stores. (An inner loop over the rows, with
     * {@code a[at + i * lda]}, kept a range check per element and ran about twice as long.)
     */
    private static void packFullSliver8(double[] a, int src, int lda, int kc, double alpha, double[] dst,
                                        int base) {
        int r0 = src;
        int r1 = r0 + lda;
        int r2 = r1 + lda;
        int r3 = r2 + lda;
        int r4 = r3 + lda;
        int r5 = r4 + lda;
        int r6 = r5 + lda;
        int r7 = r6 + lda;
        for (int p = 0; p < kc; p++) {
            int d = base + p * 8;
            dst[d] = alpha * a[r0 + p];
            dst[d + 1] = alpha * a[r1 + p];
            dst[d + 2] = alpha * a[r2 + p];
            dst[d + 3] = alpha * a[r3 + p];
            dst[d + 4] = alpha * a[r4 + p];
            dst[d + 5] = alpha * a[r5 + p];
            dst[d + 6] = alpha * a[r6 + p];
            dst[d + 7] = alpha * a[r7 + p];
        }
    }

    /** {@link #packFullSliver8} for slivers of 4 rows. */
    private static void packFullSliver4(double[] a, int src, int lda, int kc, double alpha, double[] dst,
                                        int base) {
        int r0 = src;
        int r1 = r0 + lda;
        int r2 = r1 + lda;
        int r3 = r2 + lda;
        for (int p = 0; p < kc; p++) {
            int d = base + p * 4;
            dst[d] = alpha * a[r0 + p];
            dst[d + 1] = alpha * a[r1 + p];
            dst[d + 2] = alpha * a[r2 + p];
            dst[d + 3] = alpha * a[r3 + p];
        }
    }

    /**
     * Packs {@code B[p0 .. p0+kc) × [j0 .. j0+nc)} as slivers of {@code nr} columns:
     * {@code dst[dstOff + s·kc·nr + p·nr + j] = B(p0 + p, j0 + s·nr + j)}, zero beyond {@code nc}.
     * {@code B(p, j)} is element {@code (p, j)} of {@code op(B)} ({@link MatrixOperand}).
     */
    static void packB(MatrixOperand operand, int p0, int j0, int kc, int nc, int nr, double[] dst, int dstOff) {
        boolean transB = operand.transposed;
        double[] b = operand.array;
        int bOff = operand.offset;
        int ldb = operand.ld;
        if (!transB) {
            // In bands of B_ROWS rows: within a band, sliver by sliver, so the writes go to one
            // place at a time (B_ROWS·nr contiguous doubles) while the reads follow B_ROWS row
            // segments front to back, which the hardware prefetchers follow. Row by row (nc/nr
            // write streams kc·nr doubles apart) and sliver by sliver over all kc rows (every copy
            // a row of B apart, on another page) were both slower (docs/design/gemm.md, "Packing
            // layout").
            int full = nc / nr;
            int rest = nc - full * nr;
            for (int band = 0; band < kc; band += B_ROWS) {
                int bandEnd = Math.min(kc, band + B_ROWS);
                for (int s = 0; s < full; s++) {
                    int src = bOff + (p0 + band) * ldb + j0 + s * nr;
                    int d = dstOff + s * kc * nr + band * nr;
                    copyRows(b, src, ldb, dst, d, nr, bandEnd - band);
                }
                if (rest > 0) {
                    int src = bOff + (p0 + band) * ldb + j0 + full * nr;
                    int d = dstOff + full * kc * nr + band * nr;
                    for (int p = band; p < bandEnd; p++, src += ldb, d += nr) {
                        System.arraycopy(b, src, dst, d, rest);
                        Arrays.fill(dst, d + rest, d + nr, 0.0);
                    }
                }
            }
            return;
        }
        int slivers = (nc + nr - 1) / nr;
        for (int s = 0; s < slivers; s++) {
            int base = dstOff + s * kc * nr;
            int cols = Math.min(nr, nc - s * nr);
            int firstCol = j0 + s * nr;
            for (int j = 0; j < cols; j++) {
                int src = bOff + (firstCol + j) * ldb + p0;
                int d = base + j;
                for (int p = 0; p < kc; p++) {
                    dst[d + p * nr] = b[src + p];
                }
            }
            if (cols < nr) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(dst, base + p * nr + cols, base + (p + 1) * nr, 0.0);
                }
            }
        }
    }

    /**
     * Copies {@code rows} rows of {@code width} doubles, {@code ld} apart in {@code src}, to
     * consecutive places in {@code dst}. The kernels' widths (24, 12, 6) get a loop of constant
     * length, which C2 unrolls into a few vector moves; {@code System.arraycopy} of a length it
     * does not know calls a stub per row, which made B packing clearly slower
     * ({@code docs/design/gemm.md}, "Packing layout").
     */
    private static void copyRows(double[] src, int from, int ld, double[] dst, int to, int width, int rows) {
        if (width == 24) {
            for (int r = 0; r < rows; r++, from += ld, to += 24) {
                for (int j = 0; j < 24; j++) {
                    dst[to + j] = src[from + j];
                }
            }
        } else if (width == 12) {
            for (int r = 0; r < rows; r++, from += ld, to += 12) {
                for (int j = 0; j < 12; j++) {
                    dst[to + j] = src[from + j];
                }
            }
        } else if (width == 6) {
            for (int r = 0; r < rows; r++, from += ld, to += 6) {
                dst[to] = src[from];
                dst[to + 1] = src[from + 1];
                dst[to + 2] = src[from + 2];
                dst[to + 3] = src[from + 3];
                dst[to + 4] = src[from + 4];
                dst[to + 5] = src[from + 5];
            }
        } else {
            for (int r = 0; r < rows; r++, from += ld, to += width) {
                System.arraycopy(src, from, dst, to, width);
            }
        }
    }
}
