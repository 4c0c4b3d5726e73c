package dev.spindle.linalg;

import dev.spindle.core.Scheduler;
import dev.spindle.linalg.internal.BlasArguments;
import dev.spindle.linalg.internal.Gemm;
import dev.spindle.linalg.internal.Gemv;
import dev.spindle.linalg.internal.Level1;
import dev.spindle.linalg.internal.MatrixOperand;
import dev.spindle.linalg.internal.Syrk;
import dev.spindle.linalg.internal.kernel.MicroKernels;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * BLAS routines ({@code ddot}, {@code daxpy}, {@code dscal}, {@code dnrm2}, {@code idamax},
 * {@code dgemv}, {@code dgemm}, {@code dsyrk}) on row-major {@code double[]} arrays, in the
 * standard BLAS argument order, whose parallelism comes only from a Spindle {@link Scheduler}
 * ({@link Scheduler#global()} unless one is given). Called from a task that already keeps every
 * worker busy, a routine runs on that worker at single-core speed; called alone, it uses every
 * worker.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Matrices are row-major: element {@code (i, j)} of a matrix stored at {@code (a, aOff,
 *       lda)} is {@code a[aOff + i * lda + j]}, with {@code lda >= max(1, columns)} (so
 *       {@code lda > columns} addresses a sub-matrix of a larger one).</li>
 *   <li>Vectors are strided: element {@code i} of {@code (x, xOff, incx)} is
 *       {@code x[xOff + i * incx]}; a negative increment runs backwards from the far end of the
 *       stored range, as in reference BLAS. An increment of 0 is rejected.</li>
 *   <li>Indices returned ({@link #idamax}) are 0-based.</li>
 *   <li>{@code beta == 0} means the output is not read: NaN or infinity in it does not reach the
 *       result. {@code alpha == 0} skips the product: the inputs are not read.</li>
 *   <li>Every dimension, offset, leading dimension and increment is checked against the arrays
 *       before anything is written: a mismatch is an {@link IllegalArgumentException} that names
 *       the argument and gives the values; a null array, transpose or scheduler is a
 *       {@link NullPointerException} naming it. The checks are the same at every size: a short
 *       vector that runs on the calling thread is held to what a long one split into tasks is.
 *       Outputs that overlap inputs give undefined results, as in BLAS.</li>
 *   <li>Results do not depend on the number of workers: the same inputs give the same bits on one
 *       worker and on many.</li>
 * </ul>
 *
 * <p>GEMM uses one of two micro-kernels: a Vector API one when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, else a portable one; {@link #gemmKernel()} says
 * which. The system property {@code spindle.linalg.kernel} may force one: {@code auto} (the
 * default), {@code portable} or {@code vector}. Set to anything else, every call that needs the
 * GEMM kernel ({@code dgemm}, {@code dsyrk}, {@code multiply}, {@link #gemmKernel()},
 * {@link #gemmKernelReason()}, {@link SerialBlas#dgemm}) throws an
 * {@link IllegalArgumentException} naming the property and its value, at every size, once its
 * arguments have passed their checks; level-1 and level-2 routines do not need the kernel and
 * keep working. Design: {@code docs/design/gemm.md}.
 */
public final class Blas {

    private Blas() {
    }

    // ------------------------------------------------------------------ kernel selection

    /**
     * The GEMM micro-kernel in use, e.g. {@code "vector-8x24"} (Vector API, 8 rows × 24 columns of
     * C per step) or {@code "portable-fma-4x6"} (plain Java). With the default setting a fresh
     * JVM's first products run on the portable kernel until C2 has compiled the Vector API one, or
     * at most until its warm-up has run for ten seconds (see {@link #gemmKernelReason()}); each
     * product runs on one kernel throughout.
     *
     * @throws IllegalArgumentException if {@code spindle.linalg.kernel} names no kernel
     */
    public static String gemmKernel() {
        return MicroKernels.selected().name();
    }

    /**
     * Why {@link #gemmKernel()} is the kernel in use, in one sentence (e.g. the module is absent).
     *
     * @throws IllegalArgumentException if {@code spindle.linalg.kernel} names no kernel
     */
    public static String gemmKernelReason() {
        return MicroKernels.selectionReason();
    }

    /**
     * Waits until the kernel that products get is settled, and returns its name: with the default
     * setting, a fresh JVM's products run on the portable kernel until the Vector API kernel's
     * warm-up answers (at most about ten seconds, see {@link #gemmKernel()}); this starts that
     * warm-up if no product has, and waits for its answer. With the kernel set explicitly, or
     * without the Vector API, it returns at once. For code that must time the kernel its products
     * will keep: benchmarks, and sizing work by time.
     *
     * @param timeout how long to wait at most; after it, the kernel products get now is returned
     * @param unit the unit of {@code timeout}
     * @return the name of the kernel a product starting now gets, e.g. {@code "vector-8x24"}
     * @throws IllegalArgumentException if {@code timeout} is negative (naming its value), or if
     *     {@code spindle.linalg.kernel} names no kernel
     * @throws NullPointerException if {@code unit} is null
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    public static String awaitGemmKernel(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout must be >= 0, was " + timeout);
        }
        return MicroKernels.awaitProductKernel(unit.toNanos(timeout)).name();
    }

    // ------------------------------------------------------------------ level 1

    /** {@link #ddot(Scheduler, int, double[], int, int, double[], int, int)} on the global scheduler. */
    public static double ddot(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        return ddot(Scheduler.global(), n, x, xOff, incx, y, yOff, incy);
    }

    /** {@code xᵀy}; 0 when {@code n == 0}. */
    public static double ddot(Scheduler scheduler, int n, double[] x, int xOff, int incx, double[] y,
                              int yOff, int incy) {
        Objects.requireNonNull(scheduler, "scheduler");
        BlasArguments.dimension("n", n);
        int xFirst = BlasArguments.vectorStart("x", x, "xOff", xOff, "incx", incx, "n", n);
        int yFirst = BlasArguments.vectorStart("y", y, "yOff", yOff, "incy", incy, "n", n);
        return Level1.dot(scheduler, n, x, xFirst, incx, y, yFirst, incy);
    }

    /** {@link #daxpy(Scheduler, int, double, double[], int, int, double[], int, int)} on the global scheduler. */
    public static void daxpy(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff,
                             int incy) {
        daxpy(Scheduler.global(), n, alpha, x, xOff, incx, y, yOff, incy);
    }

    /** {@code y = alpha · x + y}; nothing is read or written when {@code alpha == 0}. */
    public static void daxpy(Scheduler scheduler, int n, double alpha, double[] x, int xOff, int incx,
                             double[] y, int yOff, int incy) {
        Objects.requireNonNull(scheduler, "scheduler");
        BlasArguments.dimension("n", n);
        int xFirst = BlasArguments.vectorStart("x", x, "xOff", xOff, "incx", incx, "n", n);
        int yFirst = BlasArguments.vectorStart("y", y, "yOff", yOff, "incy", incy, "n", n);
        if (alpha == 0.0 || n == 0) {
            return;
        }
        Level1.axpy(scheduler, n, alpha, x, xFirst, incx, y, yFirst, incy);
    }

    /** {@link #dscal(Scheduler, int, double, double[], int, int)} on the global scheduler. */
    public static void dscal(int n, double alpha, double[] x, int xOff, int incx) {
        dscal(Scheduler.global(), n, alpha, x, xOff, incx);
    }

    /** {@code x = alpha · x} (a multiplication, so {@code 0 · NaN} stays NaN, as in reference BLAS). */
    public static void dscal(Scheduler scheduler, int n, double alpha, double[] x, int xOff, int incx) {
        Objects.requireNonNull(scheduler, "scheduler");
        BlasArguments.dimension("n", n);
        int xFirst = BlasArguments.vectorStart("x", x, "xOff", xOff, "incx", incx, "n", n);
        Level1.scal(scheduler, n, alpha, x, xFirst, incx);
    }

    /** {@link #dnrm2(Scheduler, int, double[], int, int)} on the global scheduler. */
    public static double dnrm2(int n, double[] x, int xOff, int incx) {
        return dnrm2(Scheduler.global(), n, x, xOff, incx);
    }

    /**
     * {@code ||x||₂}, without overflow or underflow in between (Blue's scaled algorithm): the
     * norm of {@code {1e300, 1e300}} is {@code 1.414e300}, of {@code {1e-300, 1e-300}}
     * {@code 1.414e-300}. NaN if any element is NaN, else {@code +∞} if any is infinite.
     */
    public static double dnrm2(Scheduler scheduler, int n, double[] x, int xOff, int incx) {
        Objects.requireNonNull(scheduler, "scheduler");
        BlasArguments.dimension("n", n);
        int xFirst = BlasArguments.vectorStart("x", x, "xOff", xOff, "incx", incx, "n", n);
        return Level1.nrm2(scheduler, n, x, xFirst, incx);
    }

    /** {@link #idamax(Scheduler, int, double[], int, int)} on the global scheduler. */
    public static int idamax(int n, double[] x, int xOff, int incx) {
        return idamax(Scheduler.global(), n, x, xOff, incx);
    }

    /**
     * The 0-based index of the first element of largest absolute value, or of the first NaN if
     * there is one; -1 when {@code n == 0}.
     */
    public static int idamax(Scheduler scheduler, int n, double[] x, int xOff, int incx) {
        Objects.requireNonNull(scheduler, "scheduler");
        BlasArguments.dimension("n", n);
        int xFirst = BlasArguments.vectorStart("x", x, "xOff", xOff, "incx", incx, "n", n);
        return Level1.iamax(scheduler, n, x, xFirst, incx);
    }

    // ------------------------------------------------------------------ level 2

    /** {@link #dgemv(Scheduler, Transpose, int, int, double, double[], int, int, double[], int, int, double, double[], int, int)} on the global scheduler. */
    public static void dgemv(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                             double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        dgemv(Scheduler.global(), trans, m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, incy);
    }

    /**
     * {@code y = alpha · op(A) · x + beta · y}, A stored as {@code m × n}. Without transpose x has
     * {@code n} elements and y {@code m}; with transpose x has {@code m} and y {@code n}.
     */
    public static void dgemv(Scheduler scheduler, Transpose trans, int m, int n, double alpha, double[] a,
                             int aOff, int lda, double[] x, int xOff, int incx, double beta, double[] y,
                             int yOff, int incy) {
        Objects.requireNonNull(scheduler, "scheduler");
        checkedGemv(scheduler, trans, m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, incy);
    }

    /**
     * The one place where a GEMV call's arguments are checked ({@link BlasArguments#gemv}) and its
     * vectors' first elements found, then the product, on {@code scheduler}'s workers, or on the
     * calling thread alone when {@code scheduler} is null ({@link SerialBlas}).
     */
    static void checkedGemv(Scheduler scheduler, Transpose trans, int m, int n, double alpha, double[] a,
                            int aOff, int lda, double[] x, int xOff, int incx, double beta, double[] y,
                            int yOff, int incy) {
        BlasArguments.gemv(trans, m, n, a, aOff, lda, x, xOff, incx, y, yOff, incy);
        boolean t = trans.isTransposed();
        int xFirst = BlasArguments.firstIndex(xOff, incx, t ? m : n);
        int yFirst = BlasArguments.firstIndex(yOff, incy, t ? n : m);
        if (scheduler == null) {
            Gemv.multiplyOnCallingThread(t, m, n, alpha, a, aOff, lda, x, xFirst, incx, beta, y, yFirst, incy);
        } else {
            Gemv.multiply(scheduler, t, m, n, alpha, a, aOff, lda, x, xFirst, incx, beta, y, yFirst, incy);
        }
    }

    // ------------------------------------------------------------------ level 3

    /** {@link #dgemm(Scheduler, Transpose, Transpose, int, int, int, double, double[], int, int, double[], int, int, double, double[], int, int)} on the global scheduler. */
    public static void dgemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta,
                             double[] c, int cOff, int ldc) {
        dgemm(Scheduler.global(), transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c,
                cOff, ldc);
    }

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C}, with {@code op(A)} {@code m × k}, {@code op(B)}
     * {@code k × n} and C {@code m × n}. A is stored {@code m × k}, or {@code k × m} when
     * transposed; B {@code k × n}, or {@code n × k} when transposed.
     *
     * <p>Tiles of C run as tasks of {@code scheduler}, split lazily: from a saturated outer level
     * the product runs on the calling worker alone.
     *
     * @throws IllegalArgumentException if an argument does not fit (named, with its value), or
     *     {@code spindle.linalg.kernel} names no kernel
     * @throws NullPointerException if {@code scheduler}, a transpose or an array is null
     */
    public static void dgemm(Scheduler scheduler, Transpose transA, Transpose transB, int m, int n, int k,
                             double alpha, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        Objects.requireNonNull(scheduler, "scheduler");
        checkedGemm(scheduler, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * The one place where a GEMM call's arguments become operands: checked in BLAS order
     * (transposes, dimensions, then A, B and C against their arrays, each error naming the
     * argument and its value) and the kernel setting, then the product, on {@code scheduler}'s
     * workers, or on the calling thread alone when {@code scheduler} is null ({@link SerialBlas}).
     */
    static void checkedGemm(Scheduler scheduler, Transpose transA, Transpose transB, int m, int n, int k,
                            double alpha, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        boolean ta = Objects.requireNonNull(transA, "transA").isTransposed();
        boolean tb = Objects.requireNonNull(transB, "transB").isTransposed();
        BlasArguments.dimension("m", m);
        BlasArguments.dimension("n", n);
        BlasArguments.dimension("k", k);
        MatrixOperand opA = MatrixOperand.checked("A", ta, a, aOff, lda, "m", m, "k", k);
        MatrixOperand opB = MatrixOperand.checked("B", tb, b, bOff, ldb, "k", k, "n", n);
        MatrixOperand opC = MatrixOperand.checked("C", false, c, cOff, ldc, "m", m, "n", n);
        MicroKernels.selected();                         // a bad kernel setting fails at every size
        if (scheduler == null) {
            Gemm.multiplyOnCallingThread(m, n, k, alpha, opA, opB, beta, opC);
        } else {
            Gemm.multiply(scheduler, m, n, k, alpha, opA, opB, beta, opC);
        }
    }

    /** {@link #dsyrk(Scheduler, Triangle, Transpose, int, int, double, double[], int, int, double, double[], int, int)} on the global scheduler. */
    public static void dsyrk(Triangle uplo, Transpose trans, int n, int k, double alpha, double[] a, int aOff,
                             int lda, double beta, double[] c, int cOff, int ldc) {
        dsyrk(Scheduler.global(), uplo, trans, n, k, alpha, a, aOff, lda, beta, c, cOff, ldc);
    }

    /**
     * The symmetric rank-k update {@code C = alpha · A · Aᵀ + beta · C} ({@code trans} =
     * {@link Transpose#NO_TRANSPOSE}, A stored {@code n × k}) or {@code C = alpha · Aᵀ · A + beta · C}
     * ({@link Transpose#TRANSPOSE}, A stored {@code k × n}), on the {@code uplo} triangle of the
     * {@code n × n} matrix C only: the other triangle is neither read nor written. Runs on the
     * GEMM kernels, tiles of the triangle as tasks.
     *
     * @throws IllegalArgumentException if an argument does not fit (named, with its value), or
     *     {@code spindle.linalg.kernel} names no kernel
     * @throws NullPointerException if {@code scheduler}, {@code uplo}, {@code trans} or an array is null
     */
    public static void dsyrk(Scheduler scheduler, Triangle uplo, Transpose trans, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double beta, double[] c, int cOff, int ldc) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(uplo, "uplo");
        Objects.requireNonNull(trans, "trans");
        BlasArguments.dimension("n", n);
        BlasArguments.dimension("k", k);
        MatrixOperand opA = MatrixOperand.checked("A", trans.isTransposed(), a, aOff, lda, "n", n, "k", k);
        MatrixOperand opC = MatrixOperand.checked("C", false, c, cOff, ldc, "n", n, "n", n);
        MicroKernels.selected();                         // a bad kernel setting fails at every size
        Syrk.update(scheduler, uplo == Triangle.UPPER, n, k, alpha, opA, beta, opC);
    }

    /**
     * {@code C = A · B} for dense row-major {@code m × k} A and {@code k × n} B: the common case in
     * one line. Everything is checked before C is allocated.
     *
     * @return C, a new dense row-major {@code m × n} array
     * @throws IllegalArgumentException if a dimension is negative, {@code m · n} is more than one
     *     array holds ({@code Integer.MAX_VALUE - 8}), or an array holds fewer elements
     *     than its matrix; or if {@code spindle.linalg.kernel} is set to no known kernel
     * @throws NullPointerException if {@code a} or {@code b} is null
     */
    public static double[] multiply(int m, int n, int k, double[] a, double[] b) {
        BlasArguments.product(m, n, k, a, b);
        MicroKernels.selected();                         // a bad kernel setting fails before C is allocated
        double[] c = new double[m * n];
        dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, m, n, k, 1.0, a, 0, Math.max(1, k), b, 0,
                Math.max(1, n), 0.0, c, 0, Math.max(1, n));
        return c;
    }
}
