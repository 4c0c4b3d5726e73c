package dev.spindle.linalg.internal.kernel;

/**
 * The micro-kernel in plain Java: a 4 × 6 block of C in 24 scalar accumulators for the whole
 * {@code kc} loop, so each step of {@code p} loads 4 values of A and 6 of B and does 24
 * multiply-adds without touching C. It needs no module and no flag; it is the fallback when the
 * Vector API is absent.
 *
 * <p>Two variants, chosen once per JVM by {@link MicroKernels}: with {@link Math#fma} (one
 * instruction per multiply-add, twice the throughput of a multiply and an add) when HotSpot says
 * the CPU has FMA ({@code -XX:+UseFMA}, the default on such CPUs), and with {@code a * b + c}
 * otherwise, because without the hardware instruction {@code Math.fma} falls back to exact
 * arithmetic in software, a hundred times slower. C2's auto-vectoriser (SuperWord) was tried
 * first, on a kernel that streams rows of C: it reached about half of this (C is loaded and
 * stored for every few multiply-adds, and SuperWord never turns the register block into vectors);
 * see {@code docs/design/gemm.md}.
 *
 * <p>Stateless; any thread.
 */
public final class PortableMicroKernel implements MicroKernel {

    static final int MR = 4;
    static final int NR = 6;

    private final boolean fused;

    /** @param fused use {@link Math#fma} (only where the CPU has the instruction) */
    PortableMicroKernel(boolean fused) {
        this.fused = fused;
    }

    @Override
    public String name() {
        return (fused ? "portable-fma-" : "portable-") + MR + "x" + NR;
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
        if (fused) {
            multiplyAddFused(kc, a, aOff, b, bOff, c, cOff, ldc, true);
        } else {
            multiplyAddPlain(kc, a, aOff, b, bOff, c, cOff, ldc, true);
        }
    }

    @Override
    public void multiplySet(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff,
                            int ldc) {
        if (fused) {
            multiplyAddFused(kc, a, aOff, b, bOff, c, cOff, ldc, false);
        } else {
            multiplyAddPlain(kc, a, aOff, b, bOff, c, cOff, ldc, false);
        }
    }

    private static void multiplyAddFused(int kc, double[] a, int aOff, double[] b, int bOff, double[] c,
                                         int cOff, int ldc, boolean add) {
        double c00 = 0; double c01 = 0; double c02 = 0; double c03 = 0; double c04 = 0; double c05 = 0;
        double c10 = 0; double c11 = 0; double c12 = 0; double c13 = 0; double c14 = 0; double c15 = 0;
        double c20 = 0; double c21 = 0; double c22 = 0; double c23 = 0; double c24 = 0; double c25 = 0;
        double c30 = 0; double c31 = 0; double c32 = 0; double c33 = 0; double c34 = 0; double c35 = 0;
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++) {
            double b0 = b[bi]; double b1 = b[bi + 1]; double b2 = b[bi + 2]; double b3 = b[bi + 3]; double b4 = b[bi + 4]; double b5 = b[bi + 5];
            double a0 = a[ai];
            c00 = Math.fma(a0, b0, c00); c01 = Math.fma(a0, b1, c01); c02 = Math.fma(a0, b2, c02); c03 = Math.fma(a0, b3, c03); c04 = Math.fma(a0, b4, c04); c05 = Math.fma(a0, b5, c05);
            double a1 = a[ai + 1];
            c10 = Math.fma(a1, b0, c10); c11 = Math.fma(a1, b1, c11); c12 = Math.fma(a1, b2, c12); c13 = Math.fma(a1, b3, c13); c14 = Math.fma(a1, b4, c14); c15 = Math.fma(a1, b5, c15);
            double a2 = a[ai + 2];
            c20 = Math.fma(a2, b0, c20); c21 = Math.fma(a2, b1, c21); c22 = Math.fma(a2, b2, c22); c23 = Math.fma(a2, b3, c23); c24 = Math.fma(a2, b4, c24); c25 = Math.fma(a2, b5, c25);
            double a3 = a[ai + 3];
            c30 = Math.fma(a3, b0, c30); c31 = Math.fma(a3, b1, c31); c32 = Math.fma(a3, b2, c32); c33 = Math.fma(a3, b3, c33); c34 = Math.fma(a3, b4, c34); c35 = Math.fma(a3, b5, c35);
            ai += 4;
            bi += 6;
        }
        int r0 = cOff;
        int r1 = cOff + ldc;
        int r2 = cOff + 2 * ldc;
        int r3 = cOff + 3 * ldc;
        if (add) {
            c[r0] += c00; c[r0 + 1] += c01; c[r0 + 2] += c02; c[r0 + 3] += c03; c[r0 + 4] += c04; c[r0 + 5] += c05;
            c[r1] += c10; c[r1 + 1] += c11; c[r1 + 2] += c12; c[r1 + 3] += c13; c[r1 + 4] += c14; c[r1 + 5] += c15;
            c[r2] += c20; c[r2 + 1] += c21; c[r2 + 2] += c22; c[r2 + 3] += c23; c[r2 + 4] += c24; c[r2 + 5] += c25;
            c[r3] += c30; c[r3 + 1] += c31; c[r3 + 2] += c32; c[r3 + 3] += c33; c[r3 + 4] += c34; c[r3 + 5] += c35;
        } else {
            c[r0] = c00; c[r0 + 1] = c01; c[r0 + 2] = c02; c[r0 + 3] = c03; c[r0 + 4] = c04; c[r0 + 5] = c05;
            c[r1] = c10; c[r1 + 1] = c11; c[r1 + 2] = c12; c[r1 + 3] = c13; c[r1 + 4] = c14; c[r1 + 5] = c15;
            c[r2] = c20; c[r2 + 1] = c21; c[r2 + 2] = c22; c[r2 + 3] = c23; c[r2 + 4] = c24; c[r2 + 5] = c25;
            c[r3] = c30; c[r3 + 1] = c31; c[r3 + 2] = c32; c[r3 + 3] = c33; c[r3 + 4] = c34; c[r3 + 5] = c35;
        }
    }

    private static void multiplyAddPlain(int kc, double[] a, int aOff, double[] b, int bOff, double[] c,
                                         int cOff, int ldc, boolean add) {
        double c00 = 0; double c01 = 0; double c02 = 0; double c03 = 0; double c04 = 0; double c05 = 0;
        double c10 = 0; double c11 = 0; double c12 = 0; double c13 = 0; double c14 = 0; double c15 = 0;
        double c20 = 0; double c21 = 0; double c22 = 0; double c23 = 0; double c24 = 0; double c25 = 0;
        double c30 = 0; double c31 = 0; double c32 = 0; double c33 = 0; double c34 = 0; double c35 = 0;
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++) {
            double b0 = b[bi]; double b1 = b[bi + 1]; double b2 = b[bi + 2]; double b3 = b[bi + 3]; double b4 = b[bi + 4]; double b5 = b[bi + 5];
            double a0 = a[ai];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3; c04 += a0 * b4; c05 += a0 * b5;
            double a1 = a[ai + 1];
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3; c14 += a1 * b4; c15 += a1 * b5;
            double a2 = a[ai + 2];
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3; c24 += a2 * b4; c25 += a2 * b5;
            double a3 = a[ai + 3];
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3; c34 += a3 * b4; c35 += a3 * b5;
            ai += 4;
            bi += 6;
        }
        int r0 = cOff;
        int r1 = cOff + ldc;
        int r2 = cOff + 2 * ldc;
        int r3 = cOff + 3 * ldc;
        if (add) {
            c[r0] += c00; c[r0 + 1] += c01; c[r0 + 2] += c02; c[r0 + 3] += c03; c[r0 + 4] += c04; c[r0 + 5] += c05;
            c[r1] += c10; c[r1 + 1] += c11; c[r1 + 2] += c12; c[r1 + 3] += c13; c[r1 + 4] += c14; c[r1 + 5] += c15;
            c[r2] += c20; c[r2 + 1] += c21; c[r2 + 2] += c22; c[r2 + 3] += c23; c[r2 + 4] += c24; c[r2 + 5] += c25;
            c[r3] += c30; c[r3 + 1] += c31; c[r3 + 2] += c32; c[r3 + 3] += c33; c[r3 + 4] += c34; c[r3 + 5] += c35;
        } else {
            c[r0] = c00; c[r0 + 1] = c01; c[r0 + 2] = c02; c[r0 + 3] = c03; c[r0 + 4] = c04; c[r0 + 5] = c05;
            c[r1] = c10; c[r1 + 1] = c11; c[r1 + 2] = c12; c[r1 + 3] = c13; c[r1 + 4] = c14; c[r1 + 5] = c15;
            c[r2] = c20; c[r2 + 1] = c21; c[r2 + 2] = c22; c[r2 + 3] = c23; c[r2 + 4] = c24; c[r2 + 5] = c25;
            c[r3] = c30; c[r3 + 1] = c31; c[r3 + 2] = c32; c[r3 + 3] = c33; c[r3 + 4] = c34; c[r3 + 5] = c35;
        }
    }
}
