/**
 * JMH benchmarks of the linear-algebra kernels and of composing them (W1–W3; the map is in
 * {@code dev.spindle.bench}).
 *
 * <ul>
 *   <li>{@link dev.spindle.bench.linalg.GemmBenchmark}: one GEMM, Spindle's kernels next to ojAlgo,
 *       EJML, netlib and OpenBLAS;</li>
 *   <li>{@link dev.spindle.bench.linalg.FmaPeakBenchmark}: the one-core FMA peak, per vector width,
 *       that GEMM figures are a fraction of;</li>
 *   <li>{@link dev.spindle.bench.linalg.PairedGemmScalingBenchmark}: GEMM on one and two workers
 *       against independent products (the ceiling);</li>
 *   <li>{@link dev.spindle.bench.linalg.BusyPeerGemmBenchmark}: a product's tiles on one worker while
 *       the other is busy (nobody takes them), against the same product as one tile;</li>
 *   <li>{@link dev.spindle.bench.linalg.FirstProductBenchmark}: a fresh JVM's first products, per
 *       kernel setting (the cold Vector API kernel against the portable one);</li>
 *   <li>{@link dev.spindle.bench.linalg.ManyProductsBenchmark} and
 *       {@link dev.spindle.bench.linalg.ManyProductsOn16CoresBenchmark}: W1 in every variant;</li>
 *   <li>{@link dev.spindle.bench.linalg.EigenBatchBenchmark}: W2;</li>
 *   <li>{@link dev.spindle.bench.linalg.SkewedBatchBenchmark}: W3;</li>
 *   <li>{@link dev.spindle.bench.linalg.PairedBatchBenchmark}: W1 and W3 with three variants side
 *       by side in one operation;</li>
 *   <li>{@link dev.spindle.bench.linalg.BatchScalingBenchmark}: W1, W2 and W3 (skewed) at any worker
 *       count, Spindle and {@code outer-only}, for the scaling sweep ({@code scheduler-bench/scaling}).</li>
 * </ul>
 *
 * <p>Some of these reach {@code dev.spindle.linalg.internal} (kernels, block sizes, the GEMM
 * driver): bench-only, possible because the bench runs on the class path; see that package.
 */
package dev.spindle.bench.linalg;
