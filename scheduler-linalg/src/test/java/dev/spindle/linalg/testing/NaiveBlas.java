package dev.spindle.linalg.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Textbook BLAS loops, the reference the kernels are checked against, and the error bounds used. */
public final class NaiveBlas {

    /** Unit roundoff of double. */
    public static final double EPS = Math.ulp(1.0) / 2;

    private NaiveBlas() {
    }

    /** Where element {@code i} of a strided vector of {@code n} lies, reference-BLAS style (a negative stride walks back). */
    public static int at(int off, int inc, int n, int i) {
        return inc > 0 ? off + i * inc : off + (n - 1 - i) * -inc;
    }

    public static double opA(boolean trans, double[] a, int aOff, int lda, int i, int p) {
        return trans ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    /** {@code C = alpha·op(A)·op(B) + beta·C} the textbook way; {@code bound} gets the error bound per element. */
    public static double[] gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int aOff,
                                int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc,
                                double[] bound) {
        double[] out = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                if (alpha != 0) {
                    for (int p = 0; p < k; p++) {
                        double x = opA(ta, a, aOff, lda, i, p);
                        double y = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        sum += x * y;
                        abs += Math.abs(x * y);
                    }
                }
                int at = cOff + i * ldc + j;
                double old = beta == 0 ? 0 : beta * c[at];
                out[at] = (alpha == 0 ? 0 : alpha * sum) + old;
                if (bound != null) {
                    bound[at] = 4 * (k + 3) * EPS * (Math.abs(alpha) * abs + Math.abs(old)) + Double.MIN_NORMAL;
                }
            }
        }
        return out;
    }

    /**
     * {@code C = A·B} for dense row-major {@code m × k} A and {@code k × n} B (the common case of
     * {@link #gemm}); {@code bound} gets the error bound per element.
     */
    public static double[] product(int m, int n, int k, double[] a, double[] b, double[] bound) {
        return gemm(false, false, m, n, k, 1.0, a, 0, k, b, 0, n, 0.0, new double[m * n], 0, n, bound);
    }

    /** An array of {@code length} copies of {@code value}. */
    public static double[] filled(int length, double value) {
        double[] x = new double[length];
        Arrays.fill(x, value);
        return x;
    }

    public static double[] random(SplittableRandom random, int length) {
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = random.nextDouble(-1, 1);
        }
        return x;
    }

    /** Every element within its bound (NaN must match NaN exactly, infinities must be equal). */
    public static void assertClose(double[] expected, double[] actual, double[] bound, String context) {
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double x = actual[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(x)
                    : Double.isInfinite(e) ? e == x
                    : Math.abs(e - x) <= bound[i];
            if (!ok) {
                fail(context + ": element " + i + " expected " + e + " but was " + x + " (bound " + bound[i] + ")");
            }
        }
    }
}
