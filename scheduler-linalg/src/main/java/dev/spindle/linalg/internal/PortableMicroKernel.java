package dev.spindle.linalg.internal;

/**
 * The micro-kernel in plain Java, written for C2's auto-vectoriser (SuperWord): the innermost
 * loop runs along a row of C, {@code nr} columns long, and folds four steps of {@code p} into one
 * load and store of C, so the loop is a straight chain of loads, multiplies and adds over
 * consecutive elements that C2 turns into vector instructions of whatever width the CPU has. It
 * needs no module and no flag; it is the fallback when the Vector API is absent.
 *
 * <p>Stateless; any thread.
 */
public final class PortableMicroKernel implements MicroKernel {

    /** Rows of C per call: each loaded value of B is used this many times from L1. */
    static final int MR = 4;

    /** Columns of C per call: long enough for the vectorised loop to leave its pre- and post-loops behind. */
    static final int NR = 64;

    @Override
    public String name() {
        return "portable-" + MR + "x" + NR;
    }

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void multiplyAdd(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff,
                            int ldc) {
        int p = 0;
        for (; p + 4 <= kc; p += 4) {
            int ap = aOff + p * MR;
            int b0 = bOff + p * NR;
            int b1 = b0 + NR;
            int b2 = b1 + NR;
            int b3 = b2 + NR;
            for (int i = 0; i < MR; i++) {
                double a0 = a[ap + i];
                double a1 = a[ap + MR + i];
                double a2 = a[ap + 2 * MR + i];
                double a3 = a[ap + 3 * MR + i];
                int ci = cOff + i * ldc;
                for (int j = 0; j < NR; j++) {
                    c[ci + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
                }
            }
        }
        for (; p < kc; p++) {
            int ap = aOff + p * MR;
            int b0 = bOff + p * NR;
            for (int i = 0; i < MR; i++) {
                double a0 = a[ap + i];
                int ci = cOff + i * ldc;
                for (int j = 0; j < NR; j++) {
                    c[ci + j] += a0 * b[b0 + j];
                }
            }
        }
    }
}
