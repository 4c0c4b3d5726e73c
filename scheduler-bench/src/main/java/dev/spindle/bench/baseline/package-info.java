/**
 * Reference points the benchmarks compare Spindle against.
 *
 * <ul>
 *   <li>{@link dev.spindle.bench.baseline.SingleParkedThreadExecutor}: the floor for the wake-up
 *       latency of any pool whose idle workers park;</li>
 *   <li>{@link dev.spindle.bench.baseline.IndependentProducts}: the ceiling for a product split over
 *       several cores — each core runs a whole product of its own.</li>
 * </ul>
 */
package dev.spindle.bench.baseline;
