/**
 * The workloads (W1–W5), shared by the JMH benchmarks and the demo, and the ways a two-level
 * computation is run.
 *
 * <ul>
 *   <li>{@link dev.spindle.bench.workload.Variant}: serial, one level, nested pools, ojAlgo's own
 *       threads, the common pool, Spindle; {@link dev.spindle.bench.workload.TwoLevelExecution}
 *       holds a variant's threads and runs its outer loop and kernels;</li>
 *   <li>{@link dev.spindle.bench.workload.RowBands}: a kernel split into bands of rows on a pool,
 *       as libraries with their own threads do;</li>
 *   <li>{@link dev.spindle.bench.workload.GemmBatch} with {@link dev.spindle.bench.workload.BatchSizes}:
 *       W1 and W3;</li>
 *   <li>{@link dev.spindle.bench.workload.PowerMethodBatch}: W2;</li>
 *   <li>{@link dev.spindle.bench.workload.MemoryBoundKernels}: W4;</li>
 *   <li>{@link dev.spindle.bench.workload.ForkJoinFib}: W5, fib as fork/join on Spindle and on
 *       {@code ForkJoinPool};</li>
 *   <li>{@link dev.spindle.bench.workload.NestedRowUpdate}: a nested parallel loop over rows, for
 *       the host budget's measurements.</li>
 * </ul>
 */
package dev.spindle.bench.workload;
