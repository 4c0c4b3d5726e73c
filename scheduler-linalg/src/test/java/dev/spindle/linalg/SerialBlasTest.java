package dev.spindle.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.linalg.testing.NaiveBlas;
import dev.spindle.core.Scheduler;
import dev.spindle.core.testing.ClassSchedulers;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SerialBlas gives Blas's bits without forking a task. */
class SerialBlasTest {

    @RegisterExtension
    static final ClassSchedulers SCHEDULERS = new ClassSchedulers("serial-blas-test");
    private static final Scheduler two = SCHEDULERS.withParallelism(2);

    @Test
    void dgemm_sameBitsAsTheParallelKernel_andForksNothing() {
        SplittableRandom random = new SplittableRandom(7);
        for (int[] mnk : new int[][] {{1, 1, 1}, {7, 9, 5}, {64, 64, 64}, {300, 257, 131}}) {
            int m = mnk[0];
            int n = mnk[1];
            int k = mnk[2];
            double[] a = NaiveBlas.random(random, m * k);
            double[] b = NaiveBlas.random(random, k * n);
            double[] parallel = NaiveBlas.random(random, m * n);
            double[] serial = parallel.clone();
            Blas.dgemm(two, Transpose.NO_TRANSPOSE, Transpose.TRANSPOSE, m, n, k, 1.5, a, 0, k, b, 0, k, 0.5,
                    parallel, 0, n);
            long tasksBefore = quiescentTaskCount(two);
            SerialBlas.dgemm(Transpose.NO_TRANSPOSE, Transpose.TRANSPOSE, m, n, k, 1.5, a, 0, k, b, 0, k, 0.5,
                    serial, 0, n);
            assertEquals(tasksBefore, two.stats().tasksExecuted());
            assertArrayEquals(parallel, serial, m + "x" + n + "x" + k);
        }
    }

    @Test
    void dgemv_sameBitsAsTheParallelKernel_inBothOrientations() {
        SplittableRandom random = new SplittableRandom(8);
        int m = 400;
        int n = 300;                                     // m * n above Gemv's inline threshold
        double[] a = NaiveBlas.random(random, m * n);
        for (Transpose trans : Transpose.values()) {
            int lenX = trans.isTransposed() ? m : n;
            int lenY = trans.isTransposed() ? n : m;
            double[] x = NaiveBlas.random(random, lenX);
            double[] parallel = NaiveBlas.random(random, lenY);
            double[] serial = parallel.clone();
            Blas.dgemv(two, trans, m, n, 2.0, a, 0, n, x, 0, 1, 1.0, parallel, 0, 1);
            SerialBlas.dgemv(trans, m, n, 2.0, a, 0, n, x, 0, 1, 1.0, serial, 0, 1);
            assertArrayEquals(parallel, serial, trans.toString());
        }
    }

    @Test
    void dimensionsThatDoNotFit_areRejectedNamingTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SerialBlas.dgemm(
                Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 4, 4, 4, 1, new double[15], 0, 4, new double[16], 0, 4,
                0, new double[16], 0, 4));
        assertTrue(e.getMessage().contains("a"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SerialBlas.dgemv(Transpose.NO_TRANSPOSE, 4, 4, 1,
                new double[16], 0, 4, new double[3], 0, 1, 0, new double[4], 0, 1));
    }

    /**
     * The scheduler's executed-task count once its workers are idle: a worker counts a task after
     * the task has completed, so right after {@code Blas.dgemm} returns the last increments may
     * still be on their way.
     */
    private static long quiescentTaskCount(Scheduler scheduler) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (scheduler.stats().activeWorkers() > 0 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        return scheduler.stats().tasksExecuted();
    }
}
