package dev.spindle.linalg;

/**
 * {@link Blas#dgemm} and {@link Blas#dgemv} that run entirely on the calling thread: no task is
 * forked, no scheduler is touched, no thread is woken. Same arguments, same checks and the same
 * result bits as {@link Blas}; only the parallelism is gone.
 *
 * <p>What it is for: a baseline, and code that supplies its own parallelism from outside (a pool
 * of N threads each running one product is "outer-only" parallelism). Inside a Spindle task there
 * is no need for it: {@link Blas} already runs serially when the other workers are busy.
 */
public final class SerialBlas {

    private SerialBlas() {
    }

    /**
     * {@link Blas#dgemm(Transpose, Transpose, int, int, int, double, double[], int, int, double[], int, int, double, double[], int, int)}
     * on the calling thread alone.
     *
     * @throws IllegalArgumentException if an argument does not fit (named, with its value), or
     *     {@code spindle.linalg.kernel} names no kernel
     * @throws NullPointerException if a transpose or an array is null
     */
    public static void dgemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta,
                             double[] c, int cOff, int ldc) {
        Blas.checkedGemm(null, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * {@link Blas#dgemv(Transpose, int, int, double, double[], int, int, double[], int, int, double, double[], int, int)}
     * on the calling thread alone. Needs no GEMM kernel: works whatever {@code spindle.linalg.kernel} says.
     *
     * @throws IllegalArgumentException if an argument does not fit (named, with its value)
     * @throws NullPointerException if {@code trans} or an array is null
     */
    public static void dgemv(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                             double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        Blas.checkedGemv(null, trans, m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, incy);
    }
}
