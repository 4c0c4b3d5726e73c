package dev.spindle.linalg.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Scheduler;
import dev.spindle.core.testing.ClassSchedulers;
import dev.spindle.linalg.Blas;
import dev.spindle.linalg.Transpose;
import dev.spindle.linalg.Triangle;
import dev.spindle.linalg.testing.NaiveBlas;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** dsyrk updates exactly one triangle, as the textbook loop does, the same on 1 and 2 workers. */
class SyrkTest {

    @RegisterExtension
    static final ClassSchedulers SCHEDULERS = new ClassSchedulers("syrk-test");
    private static final Scheduler one = SCHEDULERS.withParallelism(1);
    private static final Scheduler two = SCHEDULERS.withParallelism(2);

    @Test
    void bothTrianglesAndOrientations_matchTheTextbookLoop_andLeaveTheOtherTriangleAlone() {
        SplittableRandom random = new SplittableRandom(1);
        int[] dims = {0, 1, 2, 7, 23, 48, 97, 200, 413};
        double[] alphas = {1, -0.5, 0};
        double[] betas = {0, 1, 0.25};
        for (int trial = 0; trial < 40; trial++) {
            int n = dims[random.nextInt(dims.length)];
            int k = dims[random.nextInt(dims.length - 2)];
            Triangle uplo = random.nextBoolean() ? Triangle.UPPER : Triangle.LOWER;
            boolean t = random.nextBoolean();
            double alpha = alphas[random.nextInt(alphas.length)];
            double beta = betas[random.nextInt(betas.length)];
            int lda = Math.max(1, t ? n : k) + random.nextInt(3);
            int ldc = Math.max(1, n) + random.nextInt(3);
            double[] a = NaiveBlas.random(random, 2 + (t ? k : n) * lda);
            double[] c = NaiveBlas.random(random, 1 + n * ldc);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    boolean mine = uplo == Triangle.UPPER ? i <= j : i >= j;
                    if (!mine) {
                        c[1 + i * ldc + j] = Double.NaN; // must be neither read nor written
                    }
                }
            }
            double[] bound = new double[c.length];
            double[] full = NaiveBlas.gemm(t, !t, n, n, k, alpha, a, 2, lda, a, 2, lda, beta, c, 1, ldc, bound);
            double[] expected = c.clone();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    boolean mine = uplo == Triangle.UPPER ? i <= j : i >= j;
                    if (mine) {
                        expected[1 + i * ldc + j] = full[1 + i * ldc + j];
                    }
                }
            }
            double[] viaOne = c.clone();
            double[] viaTwo = c.clone();
            Transpose trans = t ? Transpose.TRANSPOSE : Transpose.NO_TRANSPOSE;
            Blas.dsyrk(one, uplo, trans, n, k, alpha, a, 2, lda, beta, viaOne, 1, ldc);
            Blas.dsyrk(two, uplo, trans, n, k, alpha, a, 2, lda, beta, viaTwo, 1, ldc);
            String context = "n=" + n + " k=" + k + " " + uplo + " " + trans + " alpha=" + alpha + " beta=" + beta;
            NaiveBlas.assertClose(expected, viaOne, bound, context);
            assertArrayEquals(viaOne, viaTwo, context + ": 1 and 2 workers");
        }
    }

    @Test
    void badArguments_areNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Blas.dsyrk(Triangle.LOWER, Transpose.NO_TRANSPOSE, 3, 2, 1, new double[6], 0, 2, 0, new double[8], 0, 3));
        assertTrue(e.getMessage().contains("C") && e.getMessage().contains("c.length=8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Blas.dsyrk(Triangle.UPPER, Transpose.TRANSPOSE, 3, 2, 1, new double[6], 0, 2, 0, new double[9], 0, 3));
        assertTrue(e.getMessage().contains("lda=2"), e.getMessage());
        assertEquals(0, new double[0].length);
    }
}
