package dev.spindle.linalg;

/** Which triangle of a symmetric matrix a BLAS routine reads and writes (BLAS's {@code uplo}). */
public enum Triangle {
    /** Elements {@code (i, j)} with {@code i <= j}. */
    UPPER,
    /** Elements {@code (i, j)} with {@code i >= j}. */
    LOWER
}
