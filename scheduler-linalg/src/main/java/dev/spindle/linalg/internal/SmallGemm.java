package dev.spindle.linalg.internal;

/**
 * A GEMM too small to pack: a plain triple loop over op(A), op(B) and C as they are stored.
 * Packing and the micro-kernel's padding cost more than the arithmetic below
 * {@link #MAX_VOLUME}. The choice is made for the whole product, never per tile, so it cannot
 * depend on the tiling, and every element of C is one dot product summed in order of {@code p}.
 *
 * <p>Pure; any thread. Arguments are assumed checked; C must already hold {@code beta · C}.
 */
final class SmallGemm {

    /** Products with {@code m·n·k} at most this run here. */
    static final long MAX_VOLUME = 8L * 8 * 8;

    private SmallGemm() {
    }

    /** Whether an {@code m × n × k} product runs here. */
    static boolean applies(int m, int n, int k) {
        return (long) m * n * k <= MAX_VOLUME;
    }

    /** {@code C[i][j] += alpha · Σ_p op(A)[i][p] · op(B)[p][j]} for rows {@code [r0, r1)} and columns {@code [c0, c1)}. */
    static void multiplyAdd(int r0, int r1, int c0, int c1, int k, double alpha, MatrixOperand a, MatrixOperand b,
                            MatrixOperand c) {
        for (int i = r0; i < r1; i++) {
            for (int j = c0; j < c1; j++) {
                double sum = 0.0;
                for (int p = 0; p < k; p++) {
                    sum += a.array[a.index(i, p)] * b.array[b.index(p, j)];
                }
                c.array[c.index(i, j)] += alpha * sum;
            }
        }
    }
}
