package dev.spindle.linalg.internal;

import java.util.Arrays;

/**
 * Copies a block of A or B into the contiguous, zero-padded sliver layout the micro-kernels read
 * (see {@link MicroKernel}). Packing turns strided reads (and the transposes) into one pass over
 * the source, and leaves the kernel a unit-stride stream that fits the caches and never crosses a
 * page or a TLB entry it did not need.
 *
 * <p>Pure functions of their arguments; any thread, on buffers the caller owns.
 */
final class Packing {

    private Packing() {
    }

    /**
     * Packs {@code alpha · A[i0 .. i0+mc) × [p0 .. p0+kc)} as slivers of {@code mr} rows:
     * {@code dst[s·kc·mr + p·mr + i] = alpha · A(i0 + s·mr + i, p0 + p)}, zero beyond {@code mc}.
     * {@code A(i, p)} is {@code a[aOff + i·lda + p]}, or {@code a[aOff + p·lda + i]} when
     * {@code transA} (A stored as its transpose).
     */
    static void packA(boolean transA, double[] a, int aOff, int lda, int i0, int p0, int mc, int kc,
                      double alpha, int mr, double[] dst) {
        int slivers = (mc + mr - 1) / mr;
        for (int s = 0; s < slivers; s++) {
            int base = s * kc * mr;
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
            } else if (rows == mr) {
                // a full sliver: read the mr rows side by side, write the sliver contiguously
                int src = aOff + firstRow * lda + p0;
                for (int p = 0; p < kc; p++) {
                    int d = base + p * mr;
                    int at = src + p;
                    for (int i = 0; i < mr; i++) {
                        dst[d + i] = alpha * a[at + i * lda];
                    }
                }
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
     * Packs {@code B[p0 .. p0+kc) × [j0 .. j0+nc)} as slivers of {@code nr} columns:
     * {@code dst[s·kc·nr + p·nr + j] = B(p0 + p, j0 + s·nr + j)}, zero beyond {@code nc}.
     * {@code B(p, j)} is {@code b[bOff + p·ldb + j]}, or {@code b[bOff + j·ldb + p]} when
     * {@code transB}.
     */
    static void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int j0, int kc, int nc,
                      int nr, double[] dst) {
        int slivers = (nc + nr - 1) / nr;
        for (int s = 0; s < slivers; s++) {
            int base = s * kc * nr;
            int cols = Math.min(nr, nc - s * nr);
            int firstCol = j0 + s * nr;
            if (transB) {
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
            } else {
                for (int p = 0; p < kc; p++) {
                    int d = base + p * nr;
                    System.arraycopy(b, bOff + (p0 + p) * ldb + firstCol, dst, d, cols);
                    if (cols < nr) {
                        Arrays.fill(dst, d + cols, d + nr, 0.0);
                    }
                }
            }
        }
    }
}
