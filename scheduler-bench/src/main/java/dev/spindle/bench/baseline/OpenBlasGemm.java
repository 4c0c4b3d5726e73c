package dev.spindle.bench.baseline;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas_full;

/**
 * One square product {@code C = A·B} (row-major, order n) by OpenBLAS's {@code cblas_dgemm},
 * repeated on the same operands, in one of two ways of handing Java data to it ({@link Operands}).
 *
 * <p>Not thread-safe: one caller at a time. {@link #close()} frees the native operands.
 */
public final class OpenBlasGemm implements AutoCloseable {

    /** How the operands reach OpenBLAS. */
    public enum Operands {
        /**
         * Native memory allocated and filled once ({@code DoublePointer}): each call passes three
         * addresses, nothing is copied.
         */
        OFF_HEAP,
        /**
         * The Java arrays themselves, through bytedeco's {@code double[]} overload, as most users
         * call it: JavaCPP's JNI code takes each array with {@code Get/ReleaseDoubleArrayElements},
         * which on HotSpot copies it into a buffer {@code malloc}ed for that call and back. The
         * copies are cheap; for large arrays the fresh buffers are not: glibc hands back memory
         * the kernel must fault in again, page by page, on every call.
         */
        JAVA_ARRAYS,
        /**
         * The Java arrays copied on every call into native memory allocated once ({@code put}), and
         * C copied back ({@code get}): the {@code double[]} interface without fresh buffers.
         */
        JAVA_ARRAYS_COPIED
    }

    private static final int ROW_MAJOR = openblas_full.CblasRowMajor;
    private static final int NO_TRANSPOSE = openblas_full.CblasNoTrans;

    private final int n;
    private final Operands operands;
    private final double[] a;
    private final double[] b;
    private final double[] c;
    private final DoublePointer nativeA;
    private final DoublePointer nativeB;
    private final DoublePointer nativeC;

    /**
     * Prepares the product of {@code a} and {@code b}; for {@link Operands#OFF_HEAP} they are copied
     * to native memory here, once (and never again: later changes to the arrays are not seen).
     *
     * @param library proof that OpenBLAS is loaded ({@link OpenBlasLibrary#load()})
     * @throws IllegalArgumentException if {@code n} is below 1 or an operand does not hold n × n values
     */
    public OpenBlasGemm(OpenBlasLibrary library, int n, double[] a, double[] b, Operands operands) {
        if (library == null || operands == null) {
            throw new NullPointerException(library == null ? "library" : "operands");
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        long size = (long) n * n;
        if (a.length != size || b.length != size) {
            throw new IllegalArgumentException("a and b must hold n × n = " + size + " values, held " + a.length
                    + " and " + b.length);
        }
        this.n = n;
        this.operands = operands;
        this.a = a;
        this.b = b;
        this.c = operands == Operands.OFF_HEAP ? null : new double[(int) size];
        if (operands == Operands.JAVA_ARRAYS) {
            this.nativeA = null;
            this.nativeB = null;
            this.nativeC = null;
        } else {
            this.nativeA = new DoublePointer(a);
            this.nativeB = new DoublePointer(b);
            this.nativeC = new DoublePointer(size);
        }
    }

    /** Computes C = A·B with OpenBLAS's current thread count. */
    public void multiply() {
        switch (operands) {
            case OFF_HEAP:
                nativeMultiply();
                break;
            case JAVA_ARRAYS:
                openblas_full.cblas_dgemm(ROW_MAJOR, NO_TRANSPOSE, NO_TRANSPOSE, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
                break;
            case JAVA_ARRAYS_COPIED:
                nativeA.put(a);
                nativeB.put(b);
                nativeMultiply();
                nativeC.get(c);
                break;
            default:
                throw new IllegalStateException(operands.toString());
        }
    }

    private void nativeMultiply() {
        openblas_full.cblas_dgemm(ROW_MAJOR, NO_TRANSPOSE, NO_TRANSPOSE, n, n, n, 1.0, nativeA, n, nativeB, n, 0.0,
                nativeC, n);
    }

    /** Element (row, column) of the last product. */
    public double product(int row, int column) {
        int index = row * n + column;
        return c == null ? nativeC.get(index) : c[index];
    }

    /**
     * Checks {@code samples} elements of the last product, spread over C, against dot products
     * computed here from the Java operands.
     *
     * @throws IllegalStateException naming the first element that differs by more than rounding
     */
    public void verify(int samples) {
        for (int s = 0; s < samples; s++) {
            int row = (int) ((long) s * 7919 % n);
            int column = (int) ((long) s * 104_729 % n);
            double expected = 0;
            double magnitude = 0;
            for (int k = 0; k < n; k++) {
                double term = a[row * n + k] * b[k * n + column];
                expected += term;
                magnitude += Math.abs(term);
            }
            double actual = product(row, column);
            if (!(Math.abs(actual - expected) <= 1e-12 * n * Math.max(magnitude, 1.0))) {
                throw new IllegalStateException("OpenBLAS product wrong at (" + row + ", " + column + "): " + actual
                        + ", expected " + expected);
            }
        }
    }

    /** Frees the native operands; the object must not be used afterwards. Calling it again does nothing. */
    @Override
    public void close() {
        if (nativeA != null) {
            nativeA.close();
            nativeB.close();
            nativeC.close();
        }
    }
}
