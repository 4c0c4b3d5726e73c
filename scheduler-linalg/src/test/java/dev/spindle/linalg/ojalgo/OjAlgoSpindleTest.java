package dev.spindle.linalg.ojalgo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Scheduler;
import dev.spindle.core.testing.ClassSchedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ojalgo.OjAlgoUtils;
import org.ojalgo.machine.VirtualMachine;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.decomposition.LU;
import org.ojalgo.matrix.decomposition.QR;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;

/** ojAlgo on Spindle: same answers as ojAlgo, one thread of ojAlgo's own, no ojAlgo-daemon thread. */
class OjAlgoSpindleTest {

    @RegisterExtension
    static final ClassSchedulers SCHEDULERS = new ClassSchedulers("ojalgo-test");
    private static final Scheduler two = SCHEDULERS.withParallelism(2);

    static R064Store random(SplittableRandom random, int rows, int cols) {
        R064Store store = R064Store.FACTORY.make(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                store.set(i, j, random.nextDouble(-1, 1));
            }
        }
        return store;
    }

    static long ojAlgoDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("ojAlgo-daemon"))
                .count();
    }

    static void assertSameMatrix(MatrixStore<Double> expected, MatrixStore<Double> actual, double tolerance) {
        assertEquals(expected.countRows(), actual.countRows());
        assertEquals(expected.countColumns(), actual.countColumns());
        for (int i = 0; i < expected.countRows(); i++) {
            for (int j = 0; j < expected.countColumns(); j++) {
                assertEquals(expected.doubleValue(i, j), actual.doubleValue(i, j), tolerance, "(" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void products_matchOjAlgosOwn_viaSpindleGemmAndViaTiles() {
        SplittableRandom random = new SplittableRandom(1);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {130, 70, 190}, {257, 301, 113}, {0, 4, 5}, {4, 0, 5}, {4, 5, 0}};
        for (int[] s : shapes) {
            R064Store left = random(random, s[0], s[1]);
            R064Store right = random(random, s[1], s[2]);
            // ojAlgo 57.1.0's own multiply divides by zero when the inner dimension is 0
            MatrixStore<Double> expected = s[1] == 0 ? R064Store.FACTORY.make(s[0], s[2]) : left.multiply(right);
            assertSameMatrix(expected, OjAlgoSpindle.multiply(two, left, right), 1e-12);
            assertSameMatrix(expected, OjAlgoSpindle.multiplyTiled(two, left, right), 1e-12);
            // a logical (non-dense) store is copied first
            assertSameMatrix(expected.transpose(), OjAlgoSpindle.multiply(two, right.transpose(), left.transpose()), 1e-12);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OjAlgoSpindle.multiply(two, random(random, 2, 3), random(random, 4, 2)));
        assertTrue(e.getMessage().contains("left columns=3") && e.getMessage().contains("right rows=4"), e.getMessage());
    }

    @Test
    void batchesOfDecompositions_areCorrect_andLeaveNoOjAlgoDaemonThread() {
        SplittableRandom random = new SplittableRandom(2);
        List<R064Store> matrices = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            matrices.add(random(random, 24 + 16 * (i % 4), 24 + 16 * (i % 4)));
        }
        List<Eigenvalue<Double>> eigen = OjAlgoSpindle.eigen(two, matrices);
        List<LU<Double>> lu = OjAlgoSpindle.lu(two, matrices);
        List<QR<Double>> qr = OjAlgoSpindle.qr(two, matrices);
        for (int i = 0; i < matrices.size(); i++) {
            R064Store m = matrices.get(i);
            assertSameMatrix(m, lu.get(i).reconstruct(), 1e-10);
            assertSameMatrix(m, qr.get(i).reconstruct(), 1e-10);
            Eigenvalue<Double> alone = Eigenvalue.R064.make(m);
            alone.decompose(m);
            assertEquals(alone.getTrace().getReal(), eigen.get(i).getTrace().getReal(), 1e-9);
            assertEquals(m.aggregateDiagonal(org.ojalgo.function.aggregator.Aggregator.SUM),
                    eigen.get(i).getTrace().getReal(), 1e-9, "trace = sum of eigenvalues");
            assertEquals(lu.get(i).getDeterminant(), eigen.get(i).getDeterminant(),
                    1e-8 * Math.max(1, Math.abs(lu.get(i).getDeterminant())), "det = product of eigenvalues");
        }
        // and a product big enough that ojAlgo, left to itself, would split it across its pool
        R064Store big = random(random, 300, 300);
        OjAlgoSpindle.multiplyTiled(two, big, big);
        assertEquals(0, ojAlgoDaemonThreads(), "ojAlgo-daemon threads alive after a batch");
    }

    @Test
    void install_limitsOjAlgoToOneThread_andUninstallRestoresTheEnvironment() {
        OjAlgoSpindle.uninstall();
        VirtualMachine before = OjAlgoUtils.ENVIRONMENT;
        OjAlgoSpindle.install();
        assertTrue(OjAlgoSpindle.isInstalled());
        assertEquals(1, OjAlgoUtils.ENVIRONMENT.threads);
        OjAlgoSpindle.install();
        assertTrue(OjAlgoSpindle.uninstall());
        assertSame(before, OjAlgoUtils.ENVIRONMENT);
        assertFalse(OjAlgoSpindle.isInstalled());
        assertFalse(OjAlgoSpindle.uninstall());
        OjAlgoSpindle.install();
    }
}
