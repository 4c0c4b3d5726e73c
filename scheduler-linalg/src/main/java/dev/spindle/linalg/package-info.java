/**
 * BLAS-style kernels on the Spindle scheduler.
 *
 * <ul>
 *   <li>{@link dev.spindle.linalg.Blas}: level 1, GEMV, GEMM (a Goto/BLIS blocked driver with a
 *       Vector API or portable micro-kernel) and SYRK, in the standard BLAS argument order over
 *       row-major arrays, parallel on Spindle's workers;</li>
 *   <li>{@link dev.spindle.linalg.SerialBlas}: the same routines entirely on the calling thread;</li>
 *   <li>{@link dev.spindle.linalg.Transpose} and {@link dev.spindle.linalg.Triangle}: BLAS's
 *       {@code trans} and {@code uplo} arguments;</li>
 *   <li>{@link dev.spindle.linalg.PowerMethod}: the dominant eigenvalue of a symmetric matrix, found
 *       as an {@link dev.spindle.linalg.EigenEstimate};</li>
 *   <li>{@link dev.spindle.linalg.Batch}: one operation over many matrices, with outer and inner
 *       parallelism on the same workers.</li>
 * </ul>
 *
 * <p>Design: {@code docs/design/gemm.md} of the source repository.
 */
package dev.spindle.linalg;
