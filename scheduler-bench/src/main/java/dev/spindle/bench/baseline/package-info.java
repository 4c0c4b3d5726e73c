/**
 * Reference points the benchmarks compare Spindle against.
 *
 * <ul>
 *   <li>{@link dev.spindle.bench.baseline.SingleParkedThreadExecutor}: the floor for the wake-up
 *       latency of any pool whose idle workers park;</li>
 *   <li>{@link dev.spindle.bench.baseline.IndependentProducts}: the ceiling for a product split over
 *       several cores — each core runs a whole product of its own;</li>
 *   <li>{@link dev.spindle.bench.baseline.OpenBlasLibrary} and
 *       {@link dev.spindle.bench.baseline.OpenBlasGemm}: the native BLAS a Java user would pick
 *       instead (OpenBLAS through bytedeco), its kernel and thread count, and its product with
 *       native or Java-array operands.</li>
 * </ul>
 */
package dev.spindle.bench.baseline;
