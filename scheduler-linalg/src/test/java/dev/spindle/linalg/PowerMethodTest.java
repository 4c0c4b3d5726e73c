package dev.spindle.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.linalg.testing.NaiveBlas;
import dev.spindle.core.Scheduler;
import dev.spindle.core.testing.ClassSchedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.R064Store;

/** The power method finds the dominant eigenvalue, says when it did not converge, and composes in a batch. */
class PowerMethodTest {

    @RegisterExtension
    static final ClassSchedulers SCHEDULERS = new ClassSchedulers("power-test");
    private static final Scheduler two = SCHEDULERS.withParallelism(2);

    /** Q·diag(values)·Qᵀ with a random orthogonal Q (Householder reflection). */
    static double[] symmetricWithEigenvalues(SplittableRandom random, double... values) {
        int n = values.length;
        double[] v = NaiveBlas.random(random, n);
        double norm = Blas.dnrm2(n, v, 0, 1);
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q[i * n + j] = (i == j ? 1 : 0) - 2 * v[i] * v[j] / (norm * norm);
            }
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < n; p++) {
                    s += q[i * n + p] * values[p] * q[j * n + p];
                }
                a[i * n + j] = s;
            }
        }
        return a;
    }

    static double[] randomSymmetric(SplittableRandom random, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = random.nextDouble(-1, 1);
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        return a;
    }

    @Test
    void knownSpectrum_givesTheDominantEigenvalueAndVector() {
        double[] a = symmetricWithEigenvalues(new SplittableRandom(1), 5, 1, -2, 0.5, 3);
        EigenEstimate estimate = PowerMethod.largestEigenvalue(a, 5);
        assertTrue(estimate.converged(), estimate.toString());
        assertEquals(5.0, estimate.value(), 1e-8);
        double[] ax = new double[5];
        Blas.dgemv(Transpose.NO_TRANSPOSE, 5, 5, 1, a, 0, 5, estimate.vector(), 0, 1, 0, ax, 0, 1);
        for (int i = 0; i < 5; i++) {
            assertEquals(5.0 * estimate.vector()[i], ax[i], 1e-4);
        }
    }

    @Test
    void negativeDominantEigenvalue_keepsItsSign() {
        double[] a = symmetricWithEigenvalues(new SplittableRandom(2), -7, 1, 2, 3);
        EigenEstimate estimate = PowerMethod.largestEigenvalue(a, 4);
        assertTrue(estimate.converged(), estimate.toString());
        assertEquals(-7.0, estimate.value(), 1e-8);
    }

    @Test
    void plusAndMinusLambda_isReportedAsNotConverged_atTheCap() {
        double[] a = symmetricWithEigenvalues(new SplittableRandom(3), 4, -4, 1);
        EigenEstimate estimate = PowerMethod.largestEigenvalue(two, a, 0, 3, 3, 1e-10, 500);
        assertFalse(estimate.converged(), estimate.toString());
        assertEquals(500, estimate.iterations());
    }

    @Test
    void randomSymmetric_agreesWithOjAlgo() {
        SplittableRandom random = new SplittableRandom(4);
        for (int n : new int[] {1, 2, 17, 64, 200}) {
            double[] a = randomSymmetric(random, n);
            EigenEstimate estimate = PowerMethod.largestEigenvalue(two, a, 0, n, n, 1e-12, 100_000);
            R064Store store = R064Store.FACTORY.make(n, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    store.set(i, j, a[i * n + j]);
                }
            }
            Eigenvalue<Double> evd = Eigenvalue.R064.make(store, true);
            evd.decompose(store);
            double dominant = 0;
            for (double v : evd.getEigenvalues().toRawCopy1D()) {
                dominant = Math.abs(v) > Math.abs(dominant) ? v : dominant;
            }
            assertTrue(estimate.converged(), "n=" + n + " " + estimate);
            assertEquals(dominant, estimate.value(), 1e-8 * Math.max(1, Math.abs(dominant)), "n=" + n);
        }
    }

    @Test
    void withLdaAndOffset_readsOnlyItsMatrix() {
        double[] inner = symmetricWithEigenvalues(new SplittableRandom(5), 3, 1, 2);
        double[] padded = new double[2 + 3 * 5];
        java.util.Arrays.fill(padded, Double.NaN);
        for (int i = 0; i < 3; i++) {
            System.arraycopy(inner, i * 3, padded, 2 + i * 5, 3);
        }
        EigenEstimate estimate = PowerMethod.largestEigenvalue(two, padded, 2, 5, 3, 1e-10, 10_000);
        assertTrue(estimate.converged());
        assertEquals(3.0, estimate.value(), 1e-8);
    }

    @Test
    void badArguments_areNamed() {
        double[] a = new double[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PowerMethod.largestEigenvalue(two, a, 0, 2, 2, 0.0, 10));
        assertTrue(e.getMessage().contains("tolerance"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PowerMethod.largestEigenvalue(two, a, 0, 2, 2, 1e-9, 0));
        assertTrue(e.getMessage().contains("maxIterations=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PowerMethod.largestEigenvalue(two, a, 1, 2, 2, 1e-9, 9));
        assertTrue(e.getMessage().contains("a.length=4"), e.getMessage());
    }

    @Test
    void aBatchOfMatrices_givesTheSameEstimatesAsOneByOne() {
        SplittableRandom random = new SplittableRandom(6);
        List<double[]> matrices = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            matrices.add(randomSymmetric(random, 32 + 8 * (i % 5)));
        }
        List<EigenEstimate> batch = Batch.map(two, matrices, m -> {
            int n = (int) Math.round(Math.sqrt(m.length));
            return PowerMethod.largestEigenvalue(two, m, 0, n, n, 1e-10, 50_000);
        });
        for (int i = 0; i < matrices.size(); i++) {
            double[] m = matrices.get(i);
            int n = (int) Math.round(Math.sqrt(m.length));
            EigenEstimate alone = PowerMethod.largestEigenvalue(two, m, 0, n, n, 1e-10, 50_000);
            assertEquals(alone.value(), batch.get(i).value(), 0.0, "matrix " + i);
            assertEquals(alone.iterations(), batch.get(i).iterations(), "matrix " + i);
        }
    }
}
