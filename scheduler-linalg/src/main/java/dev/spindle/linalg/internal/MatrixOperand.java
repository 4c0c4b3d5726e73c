package dev.spindle.linalg.internal;

import java.util.Locale;

/**
 * One matrix argument of a level-3 routine as a value: the array, the index of element
 * {@code (0, 0)}, the leading dimension and whether the routine reads the matrix transposed.
 * Element {@code (i, j)} of {@code op(X)} is {@code array[offset + i·ld + j]}, or
 * {@code array[offset + j·ld + i]} when transposed (X is stored as its transpose). The
 * dimensions are not part of the value: the routine's {@code m}, {@code n}, {@code k} give them.
 *
 * <p>Built once per call at the API boundary, by {@link #checked}, which checks it against its
 * array with errors that name the argument and its value; the driver, packing and kernels below
 * take it as checked and read its fields, never building one per tile or per block.
 *
 * <p>Immutable; any thread.
 */
public final class MatrixOperand {

    final double[] array;
    final int offset;
    final int ld;
    final boolean transposed;

    MatrixOperand(double[] array, int offset, int ld, boolean transposed) {
        this.array = array;
        this.offset = offset;
        this.ld = ld;
        this.transposed = transposed;
    }

    /**
     * The operand {@code op(X)} of {@code rows × cols}, stored row-major as {@code rows × cols},
     * or as {@code cols × rows} when {@code transposed}, after checking that it fits its array.
     * The argument names follow BLAS: for {@code matrix = "A"} the array is {@code a}, the offset
     * {@code aOff} and the leading dimension {@code lda}.
     *
     * @param matrix the matrix's name in the call, e.g. {@code "A"}
     * @param rowsName the name of the dimension giving {@code op(X)}'s rows, e.g. {@code "m"}
     * @param colsName the name of the dimension giving its columns, e.g. {@code "k"}
     * @throws NullPointerException naming the array if it is null
     * @throws IllegalArgumentException naming the offset, leading dimension or array that does not
     *     fit, with the values
     */
    public static MatrixOperand checked(String matrix, boolean transposed, double[] array, int offset, int ld,
                                        String rowsName, int rows, String colsName, int cols) {
        int storedRows = transposed ? cols : rows;
        int storedCols = transposed ? rows : cols;
        if (!BlasArguments.fits(array, offset, ld, storedRows, storedCols)) {
            // The names and the shape are spelled out only here, so a valid call builds no strings.
            String name = matrix.toLowerCase(Locale.ROOT);
            String shape = transposed ? "transposed: " + colsName + " x " + rowsName : rowsName + " x " + colsName;
            BlasArguments.matrix(matrix, name, array, name + "Off", offset, "ld" + name, ld, storedRows, storedCols,
                    shape);
        }
        return new MatrixOperand(array, offset, ld, transposed);
    }

    /** The index of element {@code (i, j)} of {@code op(X)} in {@link #array()}. */
    public int index(int i, int j) {
        return transposed ? offset + j * ld + i : offset + i * ld + j;
    }

    /** {@code op(X)} from element {@code (i, j)} on: the same storage, read from another corner. */
    public MatrixOperand from(int i, int j) {
        return new MatrixOperand(array, index(i, j), ld, transposed);
    }

    /** {@code op(X)ᵀ}: the same storage, read the other way. */
    public MatrixOperand transpose() {
        return new MatrixOperand(array, offset, ld, !transposed);
    }

    /** The array holding the matrix (shared with the caller, never copied). */
    public double[] array() {
        return array;
    }

    /** The index of element {@code (0, 0)} of {@code op(X)} in {@link #array()}. */
    public int offset() {
        return offset;
    }

    /** The leading dimension: the distance in {@link #array()} between consecutive stored rows. */
    public int ld() {
        return ld;
    }

    /** Whether {@code op(X)} is the transpose of the stored matrix. */
    public boolean transposed() {
        return transposed;
    }

    @Override
    public String toString() {
        return "MatrixOperand[offset=" + offset + ", ld=" + ld + (transposed ? ", transposed" : "") + "]";
    }
}
