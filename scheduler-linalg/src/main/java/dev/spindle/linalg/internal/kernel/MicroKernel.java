package dev.spindle.linalg.internal.kernel;

/**
 * The innermost GEMM loop: a register-blocked {@code mr × nr} block of C updated with the
 * product of a packed sliver of A ({@code mr} rows by {@code kc}) and a packed sliver of B
 * ({@code kc} by {@code nr} columns). See {@code docs/design/gemm.md}.
 *
 * <p>Packed layouts (written by the driver's {@code Packing}): the A sliver holds, for each {@code p} in
 * {@code [0, kc)}, the {@code mr} values {@code A[i][p]}, {@code i = 0..mr-1}, contiguously
 * ({@code a[aOff + p * mr + i]}); the B sliver holds, for each {@code p}, the {@code nr} values
 * {@code B[p][j]} contiguously ({@code b[bOff + p * nr + j]}). Both are zero-padded at the edges,
 * so a kernel always computes a full block.
 *
 * <p>Implementations are stateless and may be called by any thread, concurrently.
 */
public interface MicroKernel {

    /** A short name for reports and benchmarks, e.g. {@code "vector-8x24"}. */
    String name();

    /** Rows of C per call. */
    int mr();

    /** Columns of C per call. */
    int nr();

    /**
     * {@code C[i][j] += sum over p of A[i][p] * B[p][j]} for the full {@code mr × nr} block, with
     * {@code C[i][j]} at {@code c[cOff + i * ldc + j]}.
     *
     * <p>Determinism contract: for a given kernel, the value written to each element depends only
     * on the packed inputs and the element's old value, never on where the block lies or on
     * which thread runs it.
     */
    void multiplyAdd(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int ldc);

    /**
     * {@code C[i][j] = sum over p of A[i][p] * B[p][j]}: as {@link #multiplyAdd}, but C is only
     * written, never read (the first pass over {@code k} when {@code beta == 0}, so C is neither
     * zeroed beforehand nor loaded). The same sums as {@code multiplyAdd} on a zeroed block, except
     * that a sum of {@code -0.0} stays {@code -0.0}. The default zeroes the block and adds.
     */
    default void multiplySet(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int ldc) {
        for (int i = 0; i < mr(); i++) {
            java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + nr(), 0.0);
        }
        multiplyAdd(kc, a, aOff, b, bOff, c, cOff, ldc);
    }
}
