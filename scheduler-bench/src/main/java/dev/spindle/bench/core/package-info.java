/**
 * JMH benchmarks of the scheduler (W4, W5 and the scheduler's features; the map of W1–W5 is in
 * {@code dev.spindle.bench}).
 *
 * <ul>
 *   <li>{@link dev.spindle.bench.core.ForkJoinFibBenchmark}: fork/join cost (W5);</li>
 *   <li>{@link dev.spindle.bench.core.SubmitLatencyBenchmark}: submit-to-start latency on an idle
 *       pool (W5);</li>
 *   <li>{@link dev.spindle.bench.core.ForRangeBenchmark}: the cost of splitting a loop (W5);</li>
 *   <li>{@link dev.spindle.bench.core.IdlePoolCpuBenchmark}: the CPU an idle pool burns (W5);</li>
 *   <li>{@link dev.spindle.bench.core.MemoryBandwidthBenchmark}: memory-bound loops (W4);</li>
 *   <li>{@link dev.spindle.bench.core.NestingCostBenchmark}: what an inner parallel loop costs when
 *       the outer level keeps every worker busy;</li>
 *   <li>{@link dev.spindle.bench.core.BlockedWorkerBenchmark}: how soon blocked-worker detection
 *       lets the work a blocked worker waits for run;</li>
 *   <li>{@link dev.spindle.bench.core.ParallelSortBenchmark} and
 *       {@link dev.spindle.bench.core.ParallelScanBenchmark}: sort and prefix sum against the JDK's;</li>
 *   <li>{@link dev.spindle.bench.core.ThreadPoolsCensusBenchmark}: what one pool census costs;</li>
 *   <li>{@link dev.spindle.bench.core.HostBudgetCostBenchmark}: fib and nesting with a host budget
 *       named and without; {@link dev.spindle.bench.core.HostBudgetTrial}: several JVMs sharing
 *       one budget (see {@code docs/design/host-budget.md}).</li>
 * </ul>
 */
package dev.spindle.bench.core;
