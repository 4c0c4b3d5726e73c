package dev.spindle.linalg.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Scheduler;
import dev.spindle.core.testing.ClassSchedulers;
import dev.spindle.linalg.Blas;
import dev.spindle.linalg.testing.NaiveBlas;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ddot, daxpy, dscal, dnrm2 and idamax against plain loops, with strides, offsets and negative increments. */
class Level1Test {

    @RegisterExtension
    static final ClassSchedulers SCHEDULERS = new ClassSchedulers("level1-test");
    private static final Scheduler one = SCHEDULERS.withParallelism(1);
    private static final Scheduler two = SCHEDULERS.withParallelism(2);

    @Test
    void ddot_matchesAPlainLoop_forStridesAndLengthsAroundTheGrain() {
        SplittableRandom random = new SplittableRandom(1);
        int[] lengths = {0, 1, 2, 3, 7, 1000, (1 << 14) - 1, 1 << 14, (1 << 14) + 1, 100_003};
        int[][] increments = {{1, 1}, {2, 1}, {-1, 3}, {3, -2}};
        for (int n : lengths) {
            for (int[] inc : increments) {
                int xOff = random.nextInt(3);
                int yOff = random.nextInt(3);
                double[] x = NaiveBlas.random(random, xOff + Math.max(0, (n - 1) * Math.abs(inc[0]) + 1));
                double[] y = NaiveBlas.random(random, yOff + Math.max(0, (n - 1) * Math.abs(inc[1]) + 1));
                double expected = 0;
                double abs = 0;
                for (int i = 0; i < n; i++) {
                    double term = x[NaiveBlas.at(xOff, inc[0], n, i)] * y[NaiveBlas.at(yOff, inc[1], n, i)];
                    expected += term;
                    abs += Math.abs(term);
                }
                double viaOne = Blas.ddot(one, n, x, xOff, inc[0], y, yOff, inc[1]);
                double viaTwo = Blas.ddot(two, n, x, xOff, inc[0], y, yOff, inc[1]);
                assertEquals(expected, viaOne, 2 * n * NaiveBlas.EPS * abs + Double.MIN_VALUE, "n=" + n);
                assertEquals(viaOne, viaTwo, 0.0, "1 and 2 workers, n=" + n);
            }
        }
    }

    @Test
    void nanAndInfinity_propagateThroughDdotDaxpyAndDscal() {
        double[] x = new double[40_000];
        double[] y = new double[40_000];
        java.util.Arrays.fill(x, 1.0);
        java.util.Arrays.fill(y, 1.0);
        x[33_333] = Double.NaN;
        assertTrue(Double.isNaN(Blas.ddot(two, x.length, x, 0, 1, y, 0, 1)));
        x[33_333] = Double.POSITIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, Blas.ddot(two, x.length, x, 0, 1, y, 0, 1));
        y[7] = Double.NEGATIVE_INFINITY;
        assertTrue(Double.isNaN(Blas.ddot(two, x.length, x, 0, 1, y, 0, 1)), "inf + -inf");
        Blas.daxpy(two, x.length, 2.0, x, 0, 1, y, 0, 1);
        assertEquals(Double.POSITIVE_INFINITY, y[33_333]);
        assertEquals(Double.NEGATIVE_INFINITY, y[7]);
        assertEquals(3.0, y[0]);
        Blas.dscal(two, x.length, 0.0, x, 0, 1);
        assertTrue(Double.isNaN(x[33_333]), "0 * inf is NaN: dscal multiplies");
        assertEquals(0.0, x[0]);
    }

    @Test
    void daxpyAndDscal_matchPlainLoops() {
        SplittableRandom random = new SplittableRandom(2);
        for (int n : new int[] {0, 1, 5, 1 << 14, 70_001}) {
            for (int[] inc : new int[][] {{1, 1}, {2, -1}, {-3, 2}}) {
                double[] x = NaiveBlas.random(random, 1 + Math.max(0, (n - 1) * Math.abs(inc[0]) + 1));
                double[] y = NaiveBlas.random(random, 2 + Math.max(0, (n - 1) * Math.abs(inc[1]) + 1));
                double[] expected = y.clone();
                for (int i = 0; i < n; i++) {
                    expected[NaiveBlas.at(2, inc[1], n, i)] += 0.75 * x[NaiveBlas.at(1, inc[0], n, i)];
                }
                double[] actual = y.clone();
                Blas.daxpy(two, n, 0.75, x, 1, inc[0], actual, 2, inc[1]);
                assertArrayEquals(expected, actual, 0.0, "daxpy n=" + n);

                double[] scaled = x.clone();
                double[] expectedScaled = x.clone();
                for (int i = 0; i < n; i++) {
                    expectedScaled[NaiveBlas.at(1, inc[0], n, i)] *= -2.5;
                }
                Blas.dscal(two, n, -2.5, scaled, 1, inc[0]);
                assertArrayEquals(expectedScaled, scaled, 0.0, "dscal n=" + n);
            }
        }
        double[] y = {1, 2};
        Blas.daxpy(1, 0.0, new double[] {Double.NaN}, 0, 1, y, 0, 1);
        assertArrayEquals(new double[] {1, 2}, y, "alpha == 0 reads nothing");
    }

    @Test
    void dnrm2_neitherOverflowsNorUnderflows() {
        assertEquals(Math.sqrt(2) * 1e300, Blas.dnrm2(2, new double[] {1e300, 1e300}, 0, 1), 1e285);
        assertEquals(Math.sqrt(2) * 1e-300, Blas.dnrm2(2, new double[] {1e-300, -1e-300}, 0, 1), 1e-315);
        assertEquals(5e-320, Blas.dnrm2(2, new double[] {3e-320, 4e-320}, 0, 1), 1e-322);
        assertEquals(5e307, Blas.dnrm2(2, new double[] {3e307, 4e307}, 0, 1), 1e293);
        assertEquals(5.0, Blas.dnrm2(3, new double[] {3, 1e-300, 4}, 0, 1), 1e-15);
        assertEquals(1e200, Blas.dnrm2(3, new double[] {1e-200, 1e200, 1e-300}, 0, 1), 1e185);
        assertEquals(0.0, Blas.dnrm2(0, new double[0], 0, 1));
        assertEquals(0.0, Blas.dnrm2(3, new double[3], 0, 1));
        assertEquals(Double.POSITIVE_INFINITY, Blas.dnrm2(3, new double[] {1, Double.NEGATIVE_INFINITY, 2}, 0, 1));
        assertTrue(Double.isNaN(Blas.dnrm2(3, new double[] {1, Double.NaN, 2}, 0, 1)));
        assertTrue(Double.isNaN(Blas.dnrm2(3, new double[] {Double.POSITIVE_INFINITY, Double.NaN, 1e300}, 0, 1)));
    }

    @Test
    void dnrm2_ofALongVector_isTheSameOnOneAndTwoWorkers_andMatchesTheScaledSum() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 123_457;
        double[] x = NaiveBlas.random(random, 2 * n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[2 * i] * x[2 * i];
        }
        double viaOne = Blas.dnrm2(one, n, x, 0, 2);
        assertEquals(Math.sqrt(sum), viaOne, 1e-12 * Math.sqrt(sum));
        assertEquals(viaOne, Blas.dnrm2(two, n, x, 0, 2), 0.0);
        // the same vector scaled to the edges of the exponent range keeps its norm, scaled
        double[] huge = x.clone();
        double[] tiny = x.clone();
        for (int i = 0; i < huge.length; i++) {
            huge[i] *= 0x1p1000;
            tiny[i] *= 0x1p-1040;
        }
        assertEquals(viaOne, Blas.dnrm2(two, n, huge, 0, 2) * 0x1p-1000, 1e-12 * viaOne);
        assertEquals(viaOne, Blas.dnrm2(two, n, tiny, 0, 2) * 0x1p1000 * 0x1p40, 1e-8 * viaOne, "subnormals lose digits");
    }

    @Test
    void idamax_findsTheFirstLargest_orTheFirstNaN() {
        assertEquals(-1, Blas.idamax(0, new double[0], 0, 1));
        assertEquals(0, Blas.idamax(1, new double[] {-3}, 0, 1));
        assertEquals(1, Blas.idamax(4, new double[] {1, -5, 5, 2}, 0, 1));
        assertEquals(2, Blas.idamax(4, new double[] {1, 2, Double.NaN, 9}, 0, 1));
        // stride 2 over {1, x, -7, x, 7, x}: elements 1, -7, 7 -> index 1
        assertEquals(1, Blas.idamax(3, new double[] {1, 99, -7, 99, 7, 99}, 0, 2));
        // negative increment: element 0 is the last stored one
        assertEquals(0, Blas.idamax(3, new double[] {1, 2, 3}, 0, -1));
        SplittableRandom random = new SplittableRandom(4);
        double[] x = NaiveBlas.random(random, 200_000);
        x[150_001] = 3.0;
        x[170_000] = -3.0;
        assertEquals(150_001, Blas.idamax(one, x.length, x, 0, 1));
        assertEquals(150_001, Blas.idamax(two, x.length, x, 0, 1));
        x[190_000] = Double.NaN;
        x[180_000] = Double.NaN;
        assertEquals(180_000, Blas.idamax(two, x.length, x, 0, 1));
    }
}
