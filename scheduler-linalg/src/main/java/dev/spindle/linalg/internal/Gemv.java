package dev.spindle.linalg.internal;

import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;

/**
 * {@code y = alpha · op(A) · x + beta · y} on a row-major A. Without transpose each element of y
 * is a dot product of a row of A with x (blocks of rows in parallel); with transpose each element
 * is a column sum, computed by blocks of columns that each sweep all rows (unit stride along a
 * row, which C2 vectorises). Either way every element of y is computed by one block in a fixed
 * order, so results do not depend on the number of workers. {@code beta == 0} never reads y.
 *
 * <p>Arguments are assumed checked. Any thread may call.
 */
public final class Gemv {

    /** Products with fewer elements of A than this run on the calling thread. */
    static final int INLINE_ELEMENTS = 1 << 15;

    /** Elements of A per block of a parallel product. */
    static final int BLOCK_ELEMENTS = 1 << 13;

    private Gemv() {
    }

    /**
     * @param m rows of A as stored
     * @param n columns of A as stored
     * @param xFirst index of x's element 0 ({@link BlasArguments#firstIndex})
     * @param yFirst index of y's element 0
     */
    public static void multiply(Scheduler scheduler, boolean trans, int m, int n, double alpha, double[] a,
                                int aOff, int lda, double[] x, int xFirst, int incx, double beta,
                                double[] y, int yFirst, int incy) {
        multiply(scheduler, false, trans, m, n, alpha, a, aOff, lda, x, xFirst, incx, beta, y, yFirst, incy);
    }

    /** As {@link #multiply(Scheduler, boolean, int, int, double, double[], int, int, double[], int, int, double, double[], int, int)}, all on the calling thread (same bits: blocks never change the order within an element). */
    public static void multiplyOnCallingThread(boolean trans, int m, int n, double alpha, double[] a, int aOff,
                                               int lda, double[] x, int xFirst, int incx, double beta,
                                               double[] y, int yFirst, int incy) {
        multiply(null, true, trans, m, n, alpha, a, aOff, lda, x, xFirst, incx, beta, y, yFirst, incy);
    }

    /** {@code scheduler} may be null only when {@code callingThreadOnly}. */
    private static void multiply(Scheduler scheduler, boolean callingThreadOnly, boolean trans, int m, int n,
                                 double alpha, double[] a, int aOff, int lda, double[] x, int xFirst,
                                 int incx, double beta, double[] y, int yFirst, int incy) {
        int lenX = trans ? m : n;
        int lenY = trans ? n : m;
        if (lenY == 0) {
            return;
        }
        boolean product = alpha != 0.0 && lenX != 0;
        double[] xs = x;
        int xs0 = xFirst;
        if (product && incx != 1) {
            xs = new double[lenX];
            for (int i = 0; i < lenX; i++) {
                xs[i] = x[xFirst + i * incx];
            }
            xs0 = 0;
        }
        double[] xc = xs;
        int xc0 = xs0;
        boolean inline = callingThreadOnly || (long) m * n < INLINE_ELEMENTS;
        if (!trans) {
            int grain = Math.max(1, BLOCK_ELEMENTS / Math.max(1, n));
            if (inline) {
                rows(0, m, product, n, alpha, a, aOff, lda, xc, xc0, beta, y, yFirst, incy);
            } else {
                Parallel.forRange(scheduler, 0, m, grain,
                        (lo, hi) -> rows(lo, hi, product, n, alpha, a, aOff, lda, xc, xc0, beta, y, yFirst, incy));
            }
        } else {
            int grain = Math.max(64, BLOCK_ELEMENTS / Math.max(1, m));
            if (inline) {
                columns(0, n, product, m, alpha, a, aOff, lda, xc, xc0, beta, y, yFirst, incy);
            } else {
                Parallel.forRange(scheduler, 0, n, grain,
                        (lo, hi) -> columns(lo, hi, product, m, alpha, a, aOff, lda, xc, xc0, beta, y, yFirst, incy));
            }
        }
    }

    private static void rows(int lo, int hi, boolean product, int n, double alpha, double[] a, int aOff,
                             int lda, double[] x, int x0, double beta, double[] y, int yFirst, int incy) {
        for (int i = lo; i < hi; i++) {
            int yi = yFirst + i * incy;
            double old = beta == 0.0 ? 0.0 : beta * y[yi];
            if (!product) {
                y[yi] = old;
                continue;
            }
            y[yi] = old + alpha * Level1.unitStrideDot(a, aOff + i * lda, x, x0, n);
        }
    }

    private static void columns(int lo, int hi, boolean product, int m, double alpha, double[] a, int aOff,
                                int lda, double[] x, int x0, double beta, double[] y, int yFirst, int incy) {
        int width = hi - lo;
        double[] sum = new double[width];
        if (product) {
            for (int i = 0; i < m; i++) {
                double xi = x[x0 + i];
                int row = aOff + i * lda + lo;
                for (int j = 0; j < width; j++) {
                    sum[j] += xi * a[row + j];
                }
            }
        }
        for (int j = 0; j < width; j++) {
            int yj = yFirst + (lo + j) * incy;
            double old = beta == 0.0 ? 0.0 : beta * y[yj];
            y[yj] = product ? old + alpha * sum[j] : old;
        }
    }
}
