/**
 * BLAS-style kernels on the Spindle scheduler: {@link dev.spindle.linalg.Blas} (level 1, GEMV,
 * GEMM with a Goto/BLIS blocked driver and a Vector API or portable micro-kernel),
 * {@link dev.spindle.linalg.PowerMethod} for the dominant eigenvalue of a symmetric matrix, and
 * {@link dev.spindle.linalg.Batch} for running an operation over many matrices with outer and
 * inner parallelism on the same workers. Design: {@code docs/design/gemm.md}.
 */
package dev.spindle.linalg;
