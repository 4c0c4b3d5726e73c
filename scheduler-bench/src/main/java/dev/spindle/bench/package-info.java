/**
 * Spindle's benchmarks and composability demo (not shipped). {@link dev.spindle.bench.BenchmarksMain}
 * is the main class of {@code benchmarks.jar}: {@code demo} runs the demo, anything else goes to JMH.
 *
 * <p>The composability workloads the documents call W1–W5, and where each lives:
 *
 * <table>
 *   <caption>Workloads and their code</caption>
 *   <tr><th>workload</th><th>what</th><th>workload code</th><th>JMH benchmarks</th></tr>
 *   <tr><td>W1</td><td>many independent n × n products</td><td>{@code workload.GemmBatch}</td>
 *       <td>{@code linalg.ManyProductsBenchmark}, {@code linalg.ManyProductsOn16CoresBenchmark},
 *       {@code linalg.PairedBatchBenchmark} ({@code w1}), {@code linalg.BatchScalingBenchmark}
 *       ({@code w1}, at any worker count)</td></tr>
 *   <tr><td>W2</td><td>power method on a batch of symmetric matrices (parallel GEMV)</td>
 *       <td>{@code workload.PowerMethodBatch}</td><td>{@code linalg.EigenBatchBenchmark},
 *       {@code linalg.BatchScalingBenchmark} ({@code w2})</td></tr>
 *   <tr><td>W3</td><td>a balanced and a skewed batch of products</td><td>{@code workload.GemmBatch}
 *       with {@code workload.BatchSizes}</td><td>{@code linalg.SkewedBatchBenchmark},
 *       {@code linalg.PairedBatchBenchmark} ({@code w3-*}), {@code linalg.BatchScalingBenchmark}
 *       ({@code w3-skewed})</td></tr>
 *   <tr><td>W4</td><td>memory-bound loops: fill, copy, dot</td><td>{@code workload.MemoryBoundKernels}</td>
 *       <td>{@code core.MemoryBandwidthBenchmark}</td></tr>
 *   <tr><td>W5</td><td>the scheduler's own costs: an idle pool's CPU, fork/join, submit-to-start
 *       latency, splitting</td><td>{@code workload.ForkJoinFib} (fork/join)</td><td>{@code core.IdlePoolCpuBenchmark},
 *       {@code core.ForkJoinFibBenchmark}, {@code core.SubmitLatencyBenchmark},
 *       {@code core.ForRangeBenchmark}</td></tr>
 * </table>
 *
 * <p>Packages: {@code workload} (the workloads and the {@code Variant}s they run in, shared by JMH
 * and the demo), {@code core} and {@code linalg} (JMH benchmarks, mirroring the modules),
 * {@code measure} (threads, context switches, cores), {@code baseline} (reference executors and
 * ceilings), {@code demo} and {@code legacy} (the demo, and the unchanged application it runs under
 * the agent). Results and commands: {@code docs/benchmarks.md}.
 */
package dev.spindle.bench;
