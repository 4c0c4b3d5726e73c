package dev.spindle.linalg;

/** Whether a BLAS routine uses a matrix as stored or its transpose ({@code op(A) = A} or {@code Aᵀ}). */
public enum Transpose {
    /** {@code op(A) = A}: the matrix as stored, row-major. */
    NO_TRANSPOSE,
    /** {@code op(A) = Aᵀ}: the stored matrix read as its transpose. */
    TRANSPOSE;

    /** {@code true} for {@link #TRANSPOSE}. */
    public boolean isTransposed() {
        return this == TRANSPOSE;
    }
}
