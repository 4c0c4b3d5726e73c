package dev.spindle.linalg.internal.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernel on the Vector API ({@code jdk.incubator.vector}). With vectors of L = 8 doubles
 * (AVX-512) it holds an 8 × 24 block of C in 24 vector registers for the whole {@code kc} loop;
 * each step of {@code p} loads three vectors of B, broadcasts eight values of A and issues 24
 * fused multiply-adds (11 loads per 24 FMAs, 24 independent chains to hide the FMA latency on two
 * pipes). With narrower vectors (L ≤ 4: AVX2, NEON) the block is 4 × 3L, twelve accumulators, so
 * it still fits sixteen registers. C is read and written once per call.
 *
 * <p>The code is straight-line on purpose: no helper methods and no arrays of vectors, so C2 can
 * intrinsify every Vector API call within its inlining budget and keep every vector in a
 * register (with a helper per row of C, the helpers were not inlined and the vectors they took
 * were boxed). Each FMA is written {@code b.fma(a, c)}, the B vector as receiver and the broadcast
 * as argument: the same value bit for bit as {@code a.fma(b, c)}, and the faster of the two orders
 * ({@code docs/design/gemm.md}, "Micro-kernels").
 *
 * <p>Loaded only through {@link MicroKernels}, and only when the module is present: nothing else
 * may name this class. Stateless; any thread.
 */
public final class VectorMicroKernel implements MicroKernel {

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    private static final boolean WIDE = L >= 8;
    private static final int MR_WIDE = 8;
    private static final int MR_NARROW = 4;
    static final int MR = WIDE ? MR_WIDE : MR_NARROW;
    static final int NR = 3 * L;

    /** Lanes of the vectors this kernel uses. */
    public static int lanes() {
        return L;
    }

    @Override
    public String name() {
        return "vector-" + MR + "x" + NR;
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
        if (WIDE) {
            multiplyAdd8(kc, a, aOff, b, bOff, c, cOff, ldc, true);
        } else {
            multiplyAdd4(kc, a, aOff, b, bOff, c, cOff, ldc, true);
        }
    }

    @Override
    public void multiplySet(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff,
                            int ldc) {
        if (WIDE) {
            multiplyAdd8(kc, a, aOff, b, bOff, c, cOff, ldc, false);
        } else {
            multiplyAdd4(kc, a, aOff, b, bOff, c, cOff, ldc, false);
        }
    }

    /** With {@code add}, C += A·B; without, C = A·B and C is never read. */
    private static void multiplyAdd8(int kc, double[] a, int aOff, double[] b, int bOff, double[] c,
                                     int cOff, int ldc, boolean add) {
        DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector c00 = zero; DoubleVector c01 = zero; DoubleVector c02 = zero;
        DoubleVector c10 = zero; DoubleVector c11 = zero; DoubleVector c12 = zero;
        DoubleVector c20 = zero; DoubleVector c21 = zero; DoubleVector c22 = zero;
        DoubleVector c30 = zero; DoubleVector c31 = zero; DoubleVector c32 = zero;
        DoubleVector c40 = zero; DoubleVector c41 = zero; DoubleVector c42 = zero;
        DoubleVector c50 = zero; DoubleVector c51 = zero; DoubleVector c52 = zero;
        DoubleVector c60 = zero; DoubleVector c61 = zero; DoubleVector c62 = zero;
        DoubleVector c70 = zero; DoubleVector c71 = zero; DoubleVector c72 = zero;
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * MR_WIDE;
            int bi = bOff + p * 3 * L;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bi + 2 * L);
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ai]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01); c02 = b2.fma(a0, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ai + 1]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11); c12 = b2.fma(a1, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ai + 2]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21); c22 = b2.fma(a2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ai + 3]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31); c32 = b2.fma(a3, c32);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ai + 4]);
            c40 = b0.fma(a4, c40); c41 = b1.fma(a4, c41); c42 = b2.fma(a4, c42);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ai + 5]);
            c50 = b0.fma(a5, c50); c51 = b1.fma(a5, c51); c52 = b2.fma(a5, c52);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ai + 6]);
            c60 = b0.fma(a6, c60); c61 = b1.fma(a6, c61); c62 = b2.fma(a6, c62);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ai + 7]);
            c70 = b0.fma(a7, c70); c71 = b1.fma(a7, c71); c72 = b2.fma(a7, c72);
        }
        int r0 = cOff;
        int r1 = cOff + ldc;
        int r2 = cOff + 2 * ldc;
        int r3 = cOff + 3 * ldc;
        int r4 = cOff + 4 * ldc;
        int r5 = cOff + 5 * ldc;
        int r6 = cOff + 6 * ldc;
        int r7 = cOff + 7 * ldc;
        if (add) {
            DoubleVector.fromArray(SPECIES, c, r0).add(c00).intoArray(c, r0);
            DoubleVector.fromArray(SPECIES, c, r0 + L).add(c01).intoArray(c, r0 + L);
            DoubleVector.fromArray(SPECIES, c, r0 + 2 * L).add(c02).intoArray(c, r0 + 2 * L);
            DoubleVector.fromArray(SPECIES, c, r1).add(c10).intoArray(c, r1);
            DoubleVector.fromArray(SPECIES, c, r1 + L).add(c11).intoArray(c, r1 + L);
            DoubleVector.fromArray(SPECIES, c, r1 + 2 * L).add(c12).intoArray(c, r1 + 2 * L);
            DoubleVector.fromArray(SPECIES, c, r2).add(c20).intoArray(c, r2);
            DoubleVector.fromArray(SPECIES, c, r2 + L).add(c21).intoArray(c, r2 + L);
            DoubleVector.fromArray(SPECIES, c, r2 + 2 * L).add(c22).intoArray(c, r2 + 2 * L);
            DoubleVector.fromArray(SPECIES, c, r3).add(c30).intoArray(c, r3);
            DoubleVector.fromArray(SPECIES, c, r3 + L).add(c31).intoArray(c, r3 + L);
            DoubleVector.fromArray(SPECIES, c, r3 + 2 * L).add(c32).intoArray(c, r3 + 2 * L);
            DoubleVector.fromArray(SPECIES, c, r4).add(c40).intoArray(c, r4);
            DoubleVector.fromArray(SPECIES, c, r4 + L).add(c41).intoArray(c, r4 + L);
            DoubleVector.fromArray(SPECIES, c, r4 + 2 * L).add(c42).intoArray(c, r4 + 2 * L);
            DoubleVector.fromArray(SPECIES, c, r5).add(c50).intoArray(c, r5);
            DoubleVector.fromArray(SPECIES, c, r5 + L).add(c51).intoArray(c, r5 + L);
            DoubleVector.fromArray(SPECIES, c, r5 + 2 * L).add(c52).intoArray(c, r5 + 2 * L);
            DoubleVector.fromArray(SPECIES, c, r6).add(c60).intoArray(c, r6);
            DoubleVector.fromArray(SPECIES, c, r6 + L).add(c61).intoArray(c, r6 + L);
            DoubleVector.fromArray(SPECIES, c, r6 + 2 * L).add(c62).intoArray(c, r6 + 2 * L);
            DoubleVector.fromArray(SPECIES, c, r7).add(c70).intoArray(c, r7);
            DoubleVector.fromArray(SPECIES, c, r7 + L).add(c71).intoArray(c, r7 + L);
            DoubleVector.fromArray(SPECIES, c, r7 + 2 * L).add(c72).intoArray(c, r7 + 2 * L);
        } else {
            c00.intoArray(c, r0);
            c01.intoArray(c, r0 + L);
            c02.intoArray(c, r0 + 2 * L);
            c10.intoArray(c, r1);
            c11.intoArray(c, r1 + L);
            c12.intoArray(c, r1 + 2 * L);
            c20.intoArray(c, r2);
            c21.intoArray(c, r2 + L);
            c22.intoArray(c, r2 + 2 * L);
            c30.intoArray(c, r3);
            c31.intoArray(c, r3 + L);
            c32.intoArray(c, r3 + 2 * L);
            c40.intoArray(c, r4);
            c41.intoArray(c, r4 + L);
            c42.intoArray(c, r4 + 2 * L);
            c50.intoArray(c, r5);
            c51.intoArray(c, r5 + L);
            c52.intoArray(c, r5 + 2 * L);
            c60.intoArray(c, r6);
            c61.intoArray(c, r6 + L);
            c62.intoArray(c, r6 + 2 * L);
            c70.intoArray(c, r7);
            c71.intoArray(c, r7 + L);
            c72.intoArray(c, r7 + 2 * L);
        }
    }

    /** With {@code add}, C += A·B; without, C = A·B and C is never read. */
    private static void multiplyAdd4(int kc, double[] a, int aOff, double[] b, int bOff, double[] c,
                                     int cOff, int ldc, boolean add) {
        DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector c00 = zero; DoubleVector c01 = zero; DoubleVector c02 = zero;
        DoubleVector c10 = zero; DoubleVector c11 = zero; DoubleVector c12 = zero;
        DoubleVector c20 = zero; DoubleVector c21 = zero; DoubleVector c22 = zero;
        DoubleVector c30 = zero; DoubleVector c31 = zero; DoubleVector c32 = zero;
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * MR_NARROW;
            int bi = bOff + p * 3 * L;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bi + 2 * L);
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ai]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01); c02 = b2.fma(a0, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ai + 1]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11); c12 = b2.fma(a1, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ai + 2]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21); c22 = b2.fma(a2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ai + 3]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31); c32 = b2.fma(a3, c32);
        }
        int r0 = cOff;
        int r1 = cOff + ldc;
        int r2 = cOff + 2 * ldc;
        int r3 = cOff + 3 * ldc;
        if (add) {
            DoubleVector.fromArray(SPECIES, c, r0).add(c00).intoArray(c, r0);
            DoubleVector.fromArray(SPECIES, c, r0 + L).add(c01).intoArray(c, r0 + L);
            DoubleVector.fromArray(SPECIES, c, r0 + 2 * L).add(c02).intoArray(c, r0 + 2 * L);
            DoubleVector.fromArray(SPECIES, c, r1).add(c10).intoArray(c, r1);
            DoubleVector.fromArray(SPECIES, c, r1 + L).add(c11).intoArray(c, r1 + L);
            DoubleVector.fromArray(SPECIES, c, r1 + 2 * L).add(c12).intoArray(c, r1 + 2 * L);
            DoubleVector.fromArray(SPECIES, c, r2).add(c20).intoArray(c, r2);
            DoubleVector.fromArray(SPECIES, c, r2 + L).add(c21).intoArray(c, r2 + L);
            DoubleVector.fromArray(SPECIES, c, r2 + 2 * L).add(c22).intoArray(c, r2 + 2 * L);
            DoubleVector.fromArray(SPECIES, c, r3).add(c30).intoArray(c, r3);
            DoubleVector.fromArray(SPECIES, c, r3 + L).add(c31).intoArray(c, r3 + L);
            DoubleVector.fromArray(SPECIES, c, r3 + 2 * L).add(c32).intoArray(c, r3 + 2 * L);
        } else {
            c00.intoArray(c, r0);
            c01.intoArray(c, r0 + L);
            c02.intoArray(c, r0 + 2 * L);
            c10.intoArray(c, r1);
            c11.intoArray(c, r1 + L);
            c12.intoArray(c, r1 + 2 * L);
            c20.intoArray(c, r2);
            c21.intoArray(c, r2 + L);
            c22.intoArray(c, r2 + 2 * L);
            c30.intoArray(c, r3);
            c31.intoArray(c, r3 + L);
            c32.intoArray(c, r3 + 2 * L);
        }
    }
}
