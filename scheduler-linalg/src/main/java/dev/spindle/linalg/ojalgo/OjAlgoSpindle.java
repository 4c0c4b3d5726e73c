package dev.spindle.linalg.ojalgo;

import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;
import dev.spindle.linalg.Batch;
import dev.spindle.linalg.Blas;
import dev.spindle.linalg.Transpose;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.ojalgo.OjAlgoUtils;
import org.ojalgo.machine.VirtualMachine;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.decomposition.LU;
import org.ojalgo.matrix.decomposition.MatrixDecomposition;
import org.ojalgo.matrix.decomposition.QR;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;

/**
 * ojAlgo (57.1.0) on Spindle. ojAlgo multithreads on its own {@code ojAlgo-daemon} pool (a
 * {@code ThreadPoolExecutor} with no maximum, callers blocked in {@code Future.get()}), and it
 * cannot be pointed at another executor. This adapter therefore makes ojAlgo single-threaded and
 * supplies the parallelism from Spindle tasks:
 *
 * <ul>
 *   <li>{@link #multiply} routes a product of dense matrices to Spindle's GEMM
 *       ({@link Blas#dgemm}) without copying: ojAlgo's column-major {@code R064Store} is the
 *       row-major transpose, so {@code C = A·B} is computed as {@code Cᵀ = Bᵀ·Aᵀ};</li>
 *   <li>{@link #multiplyTiled} splits a product into tiles of C that each call ojAlgo's own
 *       (now single-threaded) multiplication as a Spindle task;</li>
 *   <li>{@link #eigen}, {@link #lu}, {@link #qr} and {@link #map} run batches of decompositions
 *       as Spindle tasks, one ojAlgo call per task.</li>
 * </ul>
 *
 * <h2>Global state this changes, and how to undo it</h2>
 * ojAlgo's thread count lives in one public static field, {@link OjAlgoUtils#ENVIRONMENT} (a
 * {@link VirtualMachine} whose {@code threads}, {@code cores} and {@code units} every parallel
 * operation reads when it runs: {@code DivideAndConquer}, {@code Parallelism.THREADS}/{@code
 * CORES}/{@code UNITS}, and so {@code MultiplyBoth/Left/Right/Neither.PARALLELISM}). {@link
 * #install()} — called by every method of this class — saves the current value and calls
 * {@code OjAlgoUtils.limitThreadsTo(1)}, which replaces it with a copy limited to one thread, one
 * core and one unit; with that, ojAlgo's divide-and-conquer never submits to its pool, so no
 * {@code ojAlgo-daemon} thread is started. Nothing else is changed (the per-operation
 * {@code THRESHOLD} fields keep their values). The change is process-wide: other code that uses
 * ojAlgo in the same JVM also runs single-threaded. {@link #uninstall()} puts the saved
 * {@code ENVIRONMENT} back (if nobody replaced it in between).
 *
 * <p>What the limit cannot cover: ojAlgo's logical composite stores ({@code AboveBelowStore},
 * {@code LeftRightStore}) submit their halves to the daemon pool unconditionally when multiplied;
 * this adapter never builds them. And a daemon thread that ojAlgo started before
 * {@link #install()} stays alive (the pool's core threads never time out).
 *
 * <p>Thread safety: every method may be called from any thread; install/uninstall are
 * synchronized.
 */
public final class OjAlgoSpindle {

    private static VirtualMachine saved;
    private static VirtualMachine installed;

    private OjAlgoSpindle() {
    }

    /**
     * Limits ojAlgo to one thread (see the class comment). Idempotent; cheap after the first call.
     */
    public static synchronized void install() {
        if (installed != null && OjAlgoUtils.ENVIRONMENT == installed) {
            return;
        }
        saved = OjAlgoUtils.ENVIRONMENT;
        OjAlgoUtils.limitThreadsTo(1);
        installed = OjAlgoUtils.ENVIRONMENT;
    }

    /**
     * Restores the {@code OjAlgoUtils.ENVIRONMENT} that {@link #install()} replaced, unless it was
     * replaced again since. Returns whether it restored anything.
     */
    public static synchronized boolean uninstall() {
        if (installed == null) {
            return false;
        }
        boolean ours = OjAlgoUtils.ENVIRONMENT == installed;
        if (ours) {
            OjAlgoUtils.ENVIRONMENT = saved;
        }
        installed = null;
        saved = null;
        return ours;
    }

    /** Whether ojAlgo is currently limited by this adapter. */
    public static synchronized boolean isInstalled() {
        return installed != null && OjAlgoUtils.ENVIRONMENT == installed;
    }

    // ------------------------------------------------------------------ products

    /** {@link #multiply(Scheduler, MatrixStore, MatrixStore)} on {@link Scheduler#global()}. */
    public static R064Store multiply(MatrixStore<Double> left, MatrixStore<Double> right) {
        return multiply(Scheduler.global(), left, right);
    }

    /**
     * {@code left · right} by Spindle's GEMM. Dense {@code R064Store}s are read in place; other
     * stores are copied into one first.
     *
     * @throws IllegalArgumentException if the inner dimensions differ
     */
    public static R064Store multiply(Scheduler scheduler, MatrixStore<Double> left, MatrixStore<Double> right) {
        install();
        int m = dimension("left rows", left.countRows());
        int k = dimension("left columns", left.countColumns());
        int n = dimension("right columns", right.countColumns());
        checkInner(k, right.countRows());
        double[] a = denseColumnMajor(left);
        double[] b = denseColumnMajor(right);
        R064Store product = R064Store.FACTORY.make(m, n);
        // Column-major X is row-major Xᵀ: C = A·B  <=>  Cᵀ = Bᵀ·Aᵀ, all row-major.
        Blas.dgemm(scheduler, Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, n, m, k, 1.0, b, 0,
                Math.max(1, k), a, 0, Math.max(1, m), 0.0, product.data, 0, Math.max(1, m));
        return product;
    }

    /** {@link #multiplyTiled(Scheduler, MatrixStore, MatrixStore)} on {@link Scheduler#global()}. */
    public static R064Store multiplyTiled(MatrixStore<Double> left, MatrixStore<Double> right) {
        return multiplyTiled(Scheduler.global(), left, right);
    }

    /**
     * {@code left · right} by ojAlgo's own multiplication, single-threaded, one tile of the result
     * per Spindle task (tiles split lazily, as GEMM's are). Each task copies its rows of
     * {@code left} and columns of {@code right} into dense stores and multiplies them.
     */
    public static R064Store multiplyTiled(Scheduler scheduler, MatrixStore<Double> left,
                                          MatrixStore<Double> right) {
        install();
        int m = dimension("left rows", left.countRows());
        int k = dimension("left columns", left.countColumns());
        int n = dimension("right columns", right.countColumns());
        checkInner(k, right.countRows());
        R064Store product = R064Store.FACTORY.make(m, n);
        if (m == 0 || n == 0 || k == 0) {
            return product; // all zeros; ojAlgo 57.1.0's own multiply divides by zero when k == 0
        }
        int tile = Math.max(64, Math.min(512, (Math.max(m, n) + 2 * scheduler.parallelism() - 1)
                / (2 * scheduler.parallelism())));
        double[] out = product.data;
        Parallel.forTiles(scheduler, 0, m, 0, n, tile, tile, (r0, r1, c0, c1) -> {
            MatrixStore<Double> rows = R064Store.FACTORY.copy(left.offsets(r0, 0).limits(r1 - r0, k));
            MatrixStore<Double> cols = R064Store.FACTORY.copy(right.offsets(0, c0).limits(k, c1 - c0));
            R064Store part = R064Store.FACTORY.make(r1 - r0, c1 - c0);
            part.fillByMultiplying(rows, cols);
            double[] p = part.data;
            int partRows = r1 - r0;
            for (int j = c0; j < c1; j++) {
                System.arraycopy(p, (j - c0) * partRows, out, j * m + r0, partRows);
            }
        });
        return product;
    }

    // ------------------------------------------------------------------ batches of decompositions

    /** Eigen-decompositions of many matrices, one Spindle task each, on {@link Scheduler#global()}. */
    public static List<Eigenvalue<Double>> eigen(List<? extends MatrixStore<Double>> matrices) {
        return eigen(Scheduler.global(), matrices);
    }

    /** Eigen-decompositions of many matrices, one Spindle task each. */
    public static List<Eigenvalue<Double>> eigen(Scheduler scheduler, List<? extends MatrixStore<Double>> matrices) {
        return decomposeEach(scheduler, matrices, Eigenvalue.R064);
    }

    /** LU decompositions of many matrices, one Spindle task each, on {@link Scheduler#global()}. */
    public static List<LU<Double>> lu(List<? extends MatrixStore<Double>> matrices) {
        return lu(Scheduler.global(), matrices);
    }

    /** LU decompositions of many matrices, one Spindle task each. */
    public static List<LU<Double>> lu(Scheduler scheduler, List<? extends MatrixStore<Double>> matrices) {
        return decomposeEach(scheduler, matrices, LU.R064);
    }

    /** QR decompositions of many matrices, one Spindle task each, on {@link Scheduler#global()}. */
    public static List<QR<Double>> qr(List<? extends MatrixStore<Double>> matrices) {
        return qr(Scheduler.global(), matrices);
    }

    /** QR decompositions of many matrices, one Spindle task each. */
    public static List<QR<Double>> qr(Scheduler scheduler, List<? extends MatrixStore<Double>> matrices) {
        return decomposeEach(scheduler, matrices, QR.R064);
    }

    /** One decomposition from {@code factory} per matrix, one Spindle task each ({@link #map}). */
    private static <D extends MatrixDecomposition<Double>> List<D> decomposeEach(
            Scheduler scheduler, List<? extends MatrixStore<Double>> matrices, MatrixDecomposition.Factory<D> factory) {
        return map(scheduler, matrices, matrix -> {
            D decomposition = factory.make(matrix);
            decomposition.decompose(matrix);
            return decomposition;
        });
    }

    /** {@link #map(Scheduler, List, Function)} on {@link Scheduler#global()}. */
    public static <R> List<R> map(List<? extends MatrixStore<Double>> matrices,
                                  Function<? super MatrixStore<Double>, ? extends R> operation) {
        return map(Scheduler.global(), matrices, operation);
    }

    /**
     * Any ojAlgo operation over many matrices, one Spindle task each, with ojAlgo limited to one
     * thread ({@link Batch#map} after {@link #install()}).
     */
    public static <R> List<R> map(Scheduler scheduler, List<? extends MatrixStore<Double>> matrices,
                                  Function<? super MatrixStore<Double>, ? extends R> operation) {
        Objects.requireNonNull(operation, "operation");
        install();
        return Batch.map(scheduler, matrices, operation);
    }

    // ------------------------------------------------------------------ plumbing

    private static int dimension(String what, long value) {
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must fit an int, was " + value);
        }
        return (int) value;
    }

    private static void checkInner(int leftColumns, long rightRows) {
        if (leftColumns != rightRows) {
            throw new IllegalArgumentException("left columns must equal right rows, was left columns="
                    + leftColumns + ", right rows=" + rightRows);
        }
    }

    /** The store's elements column-major, in place when it is a dense R064Store of exact size. */
    private static double[] denseColumnMajor(MatrixStore<Double> store) {
        if (store instanceof R064Store) {
            R064Store dense = (R064Store) store;
            if (dense.data.length == dense.countRows() * dense.countColumns()) {
                return dense.data;
            }
        }
        return R064Store.FACTORY.copy(store).data;
    }
}
