package dev.spindle.linalg.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Scheduler;
import dev.spindle.core.testing.ClassSchedulers;
import dev.spindle.linalg.Blas;
import dev.spindle.linalg.Transpose;
import dev.spindle.linalg.testing.NaiveBlas;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** dgemv in both orientations against the textbook loop; special scalars; 1 vs 2 workers. */
class GemvTest {

    @RegisterExtension
    static final ClassSchedulers SCHEDULERS = new ClassSchedulers("gemv-test");
    private static final Scheduler one = SCHEDULERS.withParallelism(1);
    private static final Scheduler two = SCHEDULERS.withParallelism(2);

    @Test
    void randomShapes_bothOrientations_stridesOffsetsAndSpecialScalars() {
        SplittableRandom random = new SplittableRandom(1);
        int[] dims = {0, 1, 2, 3, 7, 17, 64, 131, 257, 300};
        double[] alphas = {1, 0, -0.5};
        double[] betas = {0, 1, 2.5};
        for (int trial = 0; trial < 300; trial++) {
            int m = dims[random.nextInt(dims.length)];
            int n = dims[random.nextInt(dims.length)];
            boolean trans = random.nextBoolean();
            double alpha = alphas[random.nextInt(alphas.length)];
            double beta = betas[random.nextInt(betas.length)];
            int lda = Math.max(1, n) + random.nextInt(3);
            int aOff = random.nextInt(3);
            int incx = random.nextBoolean() ? 1 : (random.nextBoolean() ? 2 : -2);
            int incy = random.nextBoolean() ? 1 : (random.nextBoolean() ? 3 : -1);
            int lenX = trans ? m : n;
            int lenY = trans ? n : m;
            double[] a = NaiveBlas.random(random, aOff + m * lda + 1);
            double[] x = NaiveBlas.random(random, 1 + Math.max(0, (lenX - 1) * Math.abs(incx) + 1));
            double[] y = NaiveBlas.random(random, 2 + Math.max(0, (lenY - 1) * Math.abs(incy) + 1));
            double[] expected = y.clone();
            double[] bound = new double[y.length];
            for (int r = 0; r < lenY; r++) {
                double sum = 0;
                double abs = 0;
                for (int s = 0; s < lenX; s++) {
                    double aij = trans ? a[aOff + s * lda + r] : a[aOff + r * lda + s];
                    double term = aij * x[NaiveBlas.at(1, incx, lenX, s)];
                    sum += term;
                    abs += Math.abs(term);
                }
                int yi = NaiveBlas.at(2, incy, lenY, r);
                double old = beta == 0 ? 0 : beta * y[yi];
                expected[yi] = (alpha == 0 ? 0 : alpha * sum) + old;
                bound[yi] = 4 * (lenX + 3) * NaiveBlas.EPS * (Math.abs(alpha) * abs + Math.abs(old)) + Double.MIN_NORMAL;
            }
            double[] actual = y.clone();
            Blas.dgemv(trial % 2 == 0 ? one : two, trans ? Transpose.TRANSPOSE : Transpose.NO_TRANSPOSE, m, n, alpha,
                    a, aOff, lda, x, 1, incx, beta, actual, 2, incy);
            NaiveBlas.assertClose(expected, actual, bound, "m=" + m + " n=" + n + " trans=" + trans + " alpha="
                    + alpha + " beta=" + beta + " incx=" + incx + " incy=" + incy);
        }
    }

    @Test
    void oneAndTwoWorkers_giveTheSameBits() {
        SplittableRandom random = new SplittableRandom(2);
        int m = 700;
        int n = 900;
        double[] a = NaiveBlas.random(random, m * n);
        for (Transpose trans : Transpose.values()) {
            double[] x = NaiveBlas.random(random, Math.max(m, n));
            double[] y1 = NaiveBlas.random(random, Math.max(m, n));
            double[] y2 = y1.clone();
            Blas.dgemv(one, trans, m, n, 1.25, a, 0, n, x, 0, 1, 0.5, y1, 0, 1);
            Blas.dgemv(two, trans, m, n, 1.25, a, 0, n, x, 0, 1, 0.5, y2, 0, 1);
            assertArrayEquals(y1, y2, trans.toString());
        }
    }

    @Test
    void betaZeroIgnoresNaNInY_andNaNInAReachesItsRow() {
        double[] a = {1, 2, 3, 4, Double.NaN, 6};
        double[] x = {1, 1, 1};
        double[] y = {Double.NaN, Double.NaN};
        Blas.dgemv(Transpose.NO_TRANSPOSE, 2, 3, 1, a, 0, 3, x, 0, 1, 0, y, 0, 1);
        assertEquals(6.0, y[0]);
        assertTrue(Double.isNaN(y[1]));
        double[] yt = {Double.NaN, Double.NaN, Double.NaN};
        Blas.dgemv(Transpose.TRANSPOSE, 2, 3, 1, a, 0, 3, new double[] {1, 1}, 0, 1, 0, yt, 0, 1);
        assertEquals(5.0, yt[0]);
        assertTrue(Double.isNaN(yt[1]));
        assertEquals(9.0, yt[2]);
        double[] untouched = {7, 8};
        Arrays.fill(a, Double.NaN);
        Blas.dgemv(Transpose.NO_TRANSPOSE, 2, 3, 0, a, 0, 3, x, 0, 1, 1, untouched, 0, 1);
        assertArrayEquals(new double[] {7, 8}, untouched, "alpha == 0, beta == 1 leaves y as it is");
    }
}
