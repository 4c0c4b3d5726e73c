/**
 * Not exported: the machinery behind {@code Blas}. Map: {@code docs/design/README.md}; GEMM:
 * {@code docs/design/gemm.md}.
 *
 * <ul>
 *   <li>{@code BlasArguments}: checks that name the offending argument and its values;</li>
 *   <li>{@code Gemm}: the GEMM driver (tiles as tasks, blocking loops, edges), with
 *       {@code BlockSizes} (cache blocking from {@code CacheSizes}) and the micro-kernels:
 *       {@code MicroKernel} (the contract), {@code PortableMicroKernel},
 *       {@code VectorMicroKernel} (Vector API), chosen once by {@code MicroKernels};</li>
 *   <li>{@code Syrk}: the symmetric rank-k update on the GEMM driver;</li>
 *   <li>{@code Level1} (strided vector loops and reductions), {@code Gemv} (matrix-vector) and
 *       {@code EuclideanNorm} (Blue's scaled norm).</li>
 * </ul>
 *
 * <p>{@code scheduler-bench} uses {@code Gemm}, {@code BlockSizes} and the micro-kernels directly,
 * to compare kernels and block sizes and to build its baselines. That is bench-only, and needs no
 * export: the bench runs on the class path (its shaded {@code benchmarks.jar}), where module
 * encapsulation does not apply. (A GEMM operand travels as a
 * {@link dev.spindle.linalg.internal.MatrixOperand}: array, offset, leading dimension, transposed.) What it reaches is tuning, not a contract, so it stays unexported;
 * applications choose a kernel with {@code -Dspindle.linalg.kernel} and read it with
 * {@code Blas.gemmKernel()}.
 */
package dev.spindle.linalg.internal;
