package dev.spindle.linalg.internal;

import dev.spindle.linalg.Transpose;
import java.util.Objects;

/**
 * Checks of BLAS arguments against the arrays they describe. Every failure is an
 * {@link IllegalArgumentException} whose message names the argument and gives the values, so a
 * caller can see which of fifteen arguments was wrong without a debugger. Index arithmetic is in
 * {@code long}, so no check can be fooled by {@code int} overflow.
 *
 * <p>Any thread may call; the methods are pure.
 */
public final class BlasArguments {

    private BlasArguments() {
    }

    /**
     * The most elements Spindle asks of one {@code double[]}: the JDK's own soft limit
     * ({@code ArraysSupport.SOFT_MAX_ARRAY_LENGTH}); some VMs refuse lengths just below
     * {@link Integer#MAX_VALUE}.
     */
    public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /** {@code value >= 0}. */
    public static void dimension(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + name + "=" + value);
        }
    }

    /**
     * A row-major {@code rows × cols} matrix stored at {@code array[offset + i * ld + j]}: the
     * array is not null, {@code offset >= 0}, {@code ld >= max(1, cols)}, and the last element
     * lies inside the array (checked only when the matrix is not empty).
     *
     * @param matrix the matrix's name in the call, e.g. {@code "A"}
     * @param arrayName the array argument's name, e.g. {@code "a"}
     * @param offsetName e.g. {@code "aOff"}
     * @param ldName e.g. {@code "lda"}
     * @param shape how the caller's dimensions give {@code rows × cols}, for the message, e.g.
     *     {@code "k x m (transposed)"}
     */
    public static void matrix(String matrix, String arrayName, double[] array, String offsetName,
                              int offset, String ldName, int ld, int rows, int cols, String shape) {
        Objects.requireNonNull(array, arrayName);
        if (offset < 0) {
            throw new IllegalArgumentException(offsetName + " must be >= 0, was " + offsetName + "=" + offset);
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(ldName + " must be >= max(1, columns of " + matrix
                    + ") = " + Math.max(1, cols) + " for " + matrix + " stored row-major as " + rows
                    + " x " + cols + " (" + shape + "), was " + ldName + "=" + ld);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long end = offset + (long) (rows - 1) * ld + cols;
        if (end > array.length) {
            throw new IllegalArgumentException(matrix + " (" + rows + " x " + cols + ", " + shape
                    + ") does not fit " + arrayName + ": " + offsetName + " + (rows - 1) * " + ldName
                    + " + cols = " + offset + " + " + (rows - 1) + " * " + ld + " + " + cols + " = "
                    + end + " > " + arrayName + ".length=" + array.length);
        }
    }

    /**
     * Whether {@link #matrix} would accept these values: the same rules, without building a
     * message, so a caller can spell out the argument names only when something is wrong.
     */
    public static boolean fits(double[] array, int offset, int ld, int rows, int cols) {
        return array != null && offset >= 0 && ld >= Math.max(1, cols)
                && (rows == 0 || cols == 0 || offset + (long) (rows - 1) * ld + cols <= array.length);
    }

    /**
     * A vector of {@code n} elements at {@code array[offset + i * |inc|]}: not null,
     * {@code offset >= 0}, {@code inc != 0}, and the last element inside the array (when
     * {@code n > 0}).
     */
    public static void vector(String arrayName, double[] array, String offsetName, int offset,
                              String incName, int inc, String nName, int n) {
        Objects.requireNonNull(array, arrayName);
        if (offset < 0) {
            throw new IllegalArgumentException(offsetName + " must be >= 0, was " + offsetName + "=" + offset);
        }
        if (inc == 0) {
            throw new IllegalArgumentException(incName + " must not be 0, was " + incName + "=0");
        }
        if (n == 0) {
            return;
        }
        long end = offset + (long) (n - 1) * Math.abs((long) inc) + 1;
        if (end > array.length) {
            throw new IllegalArgumentException(arrayName + " is too short for " + nName + "=" + n
                    + " elements: " + offsetName + " + (" + nName + " - 1) * |" + incName + "| + 1 = "
                    + offset + " + " + (n - 1) + " * " + Math.abs((long) inc) + " + 1 = " + end + " > "
                    + arrayName + ".length=" + array.length);
        }
    }

    /**
     * Checks a vector as {@link #vector} does and returns the index of its element 0 as
     * {@link #firstIndex} gives it: the form every level-1 entry point passes on.
     */
    public static int vectorStart(String arrayName, double[] array, String offsetName, int offset,
                                  String incName, int inc, String nName, int n) {
        vector(arrayName, array, offsetName, offset, incName, inc, nName, n);
        return firstIndex(offset, inc, n);
    }

    /**
     * The index of element 0 of a strided vector, as reference BLAS defines it: with a negative
     * increment the vector runs backwards from the far end of the stored range.
     */
    public static int firstIndex(int offset, int inc, int n) {
        return inc > 0 || n == 0 ? offset : offset + (n - 1) * -inc;
    }

    /**
     * Checks the arguments of {@code Blas.multiply}: dense row-major {@code m × k} A and
     * {@code k × n} B, and a result C of {@code m · n} elements that one array can hold. Checked
     * before C is allocated, so a bad call fails with the argument's name, not with a
     * {@code NegativeArraySizeException}, an {@code ArithmeticException} or an
     * {@code OutOfMemoryError}.
     *
     * @throws NullPointerException if {@code a} or {@code b} is null
     * @throws IllegalArgumentException naming the first argument that does not fit, with its value
     */
    public static void product(int m, int n, int k, double[] a, double[] b) {
        dimension("m", m);
        dimension("n", n);
        dimension("k", k);
        long cLength = (long) m * n;
        if (cLength > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("m * n must be <= " + MAX_ARRAY_LENGTH
                    + " (C is returned as one double[]), was m * n = " + m + " * " + n + " = " + cLength);
        }
        dense("A", "a", a, "m * k", m, k);
        dense("B", "b", b, "k * n", k, n);
    }

    /** A dense row-major {@code rows × cols} matrix at the start of {@code array}. */
    private static void dense(String matrix, String arrayName, double[] array, String sizeName, int rows,
                              int cols) {
        Objects.requireNonNull(array, arrayName);
        long size = (long) rows * cols;
        if (array.length < size) {
            throw new IllegalArgumentException(arrayName + " must hold " + matrix + ", " + sizeName + " = "
                    + rows + " * " + cols + " = " + size + " elements (dense, row-major), was "
                    + arrayName + ".length=" + array.length);
        }
    }

    /**
     * Checks the arguments of a GEMV over an {@code m × n} matrix A, x of {@code n} elements and y
     * of {@code m} ({@code m} and {@code n} when transposed).
     *
     * @throws NullPointerException if {@code trans} or an array is null
     * @throws IllegalArgumentException naming the first argument that does not fit, with its value
     */
    public static void gemv(Transpose trans, int m, int n, double[] a, int aOff, int lda,
                            double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        boolean t = Objects.requireNonNull(trans, "trans").isTransposed();
        dimension("m", m);
        dimension("n", n);
        matrix("A", "a", a, "aOff", aOff, "lda", lda, m, n, "m x n");
        vector("x", x, "xOff", xOff, "incx", incx, t ? "m" : "n", t ? m : n);
        vector("y", y, "yOff", yOff, "incy", incy, t ? "n" : "m", t ? n : m);
    }
}
