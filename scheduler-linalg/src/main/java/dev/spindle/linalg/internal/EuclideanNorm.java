package dev.spindle.linalg.internal;

/**
 * {@code ||x||₂} without overflow or underflow: Blue's algorithm with three accumulators (J. L.
 * Blue, "A portable Fortran program to find the Euclidean norm of a vector", ACM TOMS 4(1), 1978;
 * the constants as in E. Anderson, "Algorithm 978: Safe scaling in the Level 1 BLAS", ACM TOMS
 * 44(1), 2017). Values above {@link #T_BIG} are summed scaled down, values below {@link #T_SMALL}
 * scaled up, the rest squared as they are; the three sums are combined at the end. One pass, no
 * division per element, and the partial sums of blocks combine by addition, so the norm runs as a
 * parallel reduction.
 *
 * <p>NaN anywhere gives NaN; an infinity (and no NaN) gives {@code +∞}.
 *
 * <p>A mutable accumulator: one thread at a time (each block of a reduction has its own).
 */
public final class EuclideanNorm {

    /** 2^-511: below this, squaring may underflow. */
    static final double T_SMALL = 0x1p-511;
    /** 2^486: above this, squaring (and summing up to 2^53 terms) may overflow. */
    static final double T_BIG = 0x1p486;
    /** Scale for small values: 2^537. */
    static final double S_SMALL = 0x1p537;
    /** Scale for big values: 2^-538. */
    static final double S_BIG = 0x1p-538;

    private double big;
    private double medium;
    private double small;
    private boolean sawBig;

    /** Adds {@code x[first], x[first + inc], …}, {@code count} values. */
    public EuclideanNorm accumulate(double[] x, int first, int inc, int count) {
        double aBig = big;
        double aMed = medium;
        double aSmall = small;
        boolean notBig = !sawBig;
        for (int i = 0, at = first; i < count; i++, at += inc) {
            double ax = Math.abs(x[at]);
            if (ax > T_BIG) {
                double scaled = ax * S_BIG;
                aBig += scaled * scaled;
                notBig = false;
            } else if (ax < T_SMALL) {
                if (notBig) {
                    double scaled = ax * S_SMALL;
                    aSmall += scaled * scaled;
                }
            } else {
                aMed += ax * ax;
            }
        }
        big = aBig;
        medium = aMed;
        small = aSmall;
        sawBig = !notBig;
        return this;
    }

    /** Adds another block's sums to this one's (for a reduction). */
    public EuclideanNorm combine(EuclideanNorm other) {
        EuclideanNorm sum = new EuclideanNorm();
        sum.big = big + other.big;
        sum.medium = medium + other.medium;
        sum.sawBig = sawBig || other.sawBig;
        sum.small = sum.sawBig ? 0.0 : small + other.small;
        return sum;
    }

    /** The norm of everything accumulated. */
    public double norm() {
        double scale;
        double sumSquares;
        if (big > 0.0 || Double.isNaN(big)) {
            double b = big;
            if (medium > 0.0 || Double.isNaN(medium)) {
                b += (medium * S_BIG) * S_BIG;
            }
            scale = 1.0 / S_BIG;
            sumSquares = b;
        } else if (small > 0.0) {
            if (medium > 0.0 || Double.isNaN(medium)) {
                double m = Math.sqrt(medium);
                double s = Math.sqrt(small) / S_SMALL;
                double lo = Math.min(m, s);
                double hi = Math.max(m, s);
                scale = 1.0;
                sumSquares = hi * hi * (1.0 + (lo / hi) * (lo / hi));
            } else {
                scale = 1.0 / S_SMALL;
                sumSquares = small;
            }
        } else {
            scale = 1.0;
            sumSquares = medium;
        }
        return scale * Math.sqrt(sumSquares);
    }
}
