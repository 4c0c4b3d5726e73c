package dev.spindle.linalg.internal;

import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;

/**
 * Level-1 BLAS on strided vectors. Vectors longer than {@link #GRAIN} run as Spindle loops or
 * reductions with that fixed grain: a fixed grain fixes the reduction tree, so a sum is the same,
 * bit for bit, on 1 or on many workers. Shorter vectors run on the calling thread.
 *
 * <p>Arguments are assumed checked ({@link BlasArguments}); {@code first} is the index of element 0
 * ({@link BlasArguments#firstIndex}). Any thread may call.
 */
public final class Level1 {

    /** Elements per block: large enough that a task is a rounding error, small enough to spread. */
    static final int GRAIN = 1 << 14;

    private Level1() {
    }

    public static double dot(Scheduler scheduler, int n, double[] x, int xFirst, int incx, double[] y,
                             int yFirst, int incy) {
        if (n <= GRAIN) {
            return dotBlock(0, n, x, xFirst, incx, y, yFirst, incy);
        }
        return Parallel.reduce(scheduler, 0, n, GRAIN, 0.0,
                (lo, hi) -> dotBlock(lo, hi, x, xFirst, incx, y, yFirst, incy), Double::sum);
    }

    private static double dotBlock(int lo, int hi, double[] x, int xFirst, int incx, double[] y,
                                   int yFirst, int incy) {
        if (incx == 1 && incy == 1) {
            return unitStrideDot(x, xFirst + lo, y, yFirst + lo, hi - lo);
        }
        double sum = 0.0;
        for (int i = lo; i < hi; i++) {
            sum += x[xFirst + i * incx] * y[yFirst + i * incy];
        }
        return sum;
    }

    /**
     * {@code x[xStart..xStart+length) · y[yStart..yStart+length)} with four independent partial
     * sums, so the loop is not one long chain of dependent adds; the sums are added as
     * {@code (s0 + s1) + (s2 + s3)}, a fixed order. Also the row dot product of {@link Gemv}.
     */
    static double unitStrideDot(double[] x, int xStart, double[] y, int yStart, int length) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            s0 += x[xStart + i] * y[yStart + i];
            s1 += x[xStart + i + 1] * y[yStart + i + 1];
            s2 += x[xStart + i + 2] * y[yStart + i + 2];
            s3 += x[xStart + i + 3] * y[yStart + i + 3];
        }
        for (; i < length; i++) {
            s0 += x[xStart + i] * y[yStart + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    public static void axpy(Scheduler scheduler, int n, double alpha, double[] x, int xFirst, int incx,
                            double[] y, int yFirst, int incy) {
        if (n <= GRAIN) {
            axpyBlock(0, n, alpha, x, xFirst, incx, y, yFirst, incy);
        } else {
            Parallel.forRange(scheduler, 0, n, GRAIN,
                    (lo, hi) -> axpyBlock(lo, hi, alpha, x, xFirst, incx, y, yFirst, incy));
        }
    }

    private static void axpyBlock(int lo, int hi, double alpha, double[] x, int xFirst, int incx,
                                  double[] y, int yFirst, int incy) {
        if (incx == 1 && incy == 1) {
            for (int i = lo; i < hi; i++) {
                y[yFirst + i] += alpha * x[xFirst + i];
            }
        } else {
            for (int i = lo; i < hi; i++) {
                y[yFirst + i * incy] += alpha * x[xFirst + i * incx];
            }
        }
    }

    public static void scal(Scheduler scheduler, int n, double alpha, double[] x, int xFirst, int incx) {
        if (n <= GRAIN) {
            scalBlock(0, n, alpha, x, xFirst, incx);
        } else {
            Parallel.forRange(scheduler, 0, n, GRAIN, (lo, hi) -> scalBlock(lo, hi, alpha, x, xFirst, incx));
        }
    }

    private static void scalBlock(int lo, int hi, double alpha, double[] x, int xFirst, int incx) {
        if (incx == 1) {
            for (int i = lo; i < hi; i++) {
                x[xFirst + i] *= alpha;
            }
        } else {
            for (int i = lo; i < hi; i++) {
                x[xFirst + i * incx] *= alpha;
            }
        }
    }

    public static double nrm2(Scheduler scheduler, int n, double[] x, int xFirst, int incx) {
        if (n <= GRAIN) {
            return new EuclideanNorm().accumulate(x, xFirst, incx, n).norm();
        }
        return Parallel.reduce(scheduler, 0, n, GRAIN, new EuclideanNorm(),
                (lo, hi) -> new EuclideanNorm().accumulate(x, xFirst + lo * incx, incx, hi - lo),
                EuclideanNorm::combine).norm();
    }

    /**
     * The index (0-based) of the first element of largest absolute value; the index of the first
     * NaN if there is one; -1 when {@code n == 0}.
     */
    public static int iamax(Scheduler scheduler, int n, double[] x, int xFirst, int incx) {
        if (n == 0) {
            return -1;
        }
        if (n <= GRAIN) {
            return iamaxBlock(0, n, x, xFirst, incx);
        }
        return Parallel.reduce(scheduler, 0, n, GRAIN, -1,
                (lo, hi) -> iamaxBlock(lo, hi, x, xFirst, incx),
                (left, right) -> {
                    if (left < 0) {
                        return right;
                    }
                    if (right < 0) {
                        return left;
                    }
                    double l = Math.abs(x[xFirst + left * incx]);
                    double r = Math.abs(x[xFirst + right * incx]);
                    if (Double.isNaN(l)) {
                        return left;
                    }
                    return Double.isNaN(r) || r > l ? right : left;
                });
    }

    private static int iamaxBlock(int lo, int hi, double[] x, int xFirst, int incx) {
        int best = lo;
        double max = Math.abs(x[xFirst + lo * incx]);
        if (Double.isNaN(max)) {
            return lo;
        }
        for (int i = lo + 1; i < hi; i++) {
            double v = Math.abs(x[xFirst + i * incx]);
            if (v > max) {
                max = v;
                best = i;
            } else if (Double.isNaN(v)) {
                return i;
            }
        }
        return best;
    }
}
