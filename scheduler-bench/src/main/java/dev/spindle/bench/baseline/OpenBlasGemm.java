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
         * which on HotSpot copies it to a native buffer and back on every call.
         */
        JAVA_ARRAYS
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
     * Prepares the product of {@code a} and {@code b}; with {@link Operands#OFF_HEAP} they are copied
     * to native memory here, once.
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
        if (operands == Operands.OFF_HEAP) {
            this.c = null;
            this.nativeA = new DoublePointer(a);
            this.nativeB = new DoublePointer(b);
            this.nativeC = new DoublePointer(size);
        } else {
            this.c = new double[(int) size];
            this.nativeA = null;
            this.nativeB = null;
            this.nativeC = null;
        }
    }

    /** Computes C = A·B with OpenBLAS's current thread count. */
    public void multiply() {
        if (operands == Operands.OFF_HEAP) {
            openblas_full.cblas_dgemm(ROW_MAJOR, NO_TRANSPOSE, NO_TRANSPOSE, n, n, n, 1.0, nativeA, n, nativeB, n, 0.0,
                    nativeC, n);
        } else {
            openblas_full.cblas_dgemm(ROW_MAJOR, NO_TRANSPOSE, NO_TRANSPOSE, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
        }
    }

    /** Element (row, column) of the last product. */
    public double product(int row, int column) {
        int index = row * n + column;
        return operands == Operands.OFF_HEAP ? nativeC.get(index) : c[index];
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
