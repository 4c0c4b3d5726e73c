/**
 * What the benchmarks and the demo measure besides time.
 *
 * <ul>
 *   <li>{@link dev.spindle.bench.measure.ThreadCensus}: live threads, a variant's baseline, and
 *       context switches over all of the process's threads ({@code /proc/self/task});</li>
 *   <li>{@link dev.spindle.bench.measure.ContextSwitches}: voluntary and involuntary switches;</li>
 *   <li>{@link dev.spindle.bench.measure.ThreadCounters}: the JMH auxiliary counters (peak threads,
 *       switches per operation) of the composability benchmarks;</li>
 *   <li>{@link dev.spindle.bench.measure.IterationWeight}: the weight that makes those counters a
 *       mean over iterations;</li>
 *   <li>{@link dev.spindle.bench.measure.Cores}: the cores naive code sees, and the real ones
 *       Spindle is sized to;</li>
 *   <li>{@link dev.spindle.bench.measure.ScalingReport} and
 *       {@link dev.spindle.bench.measure.JmhCsvResult}: the scaling sweep's table and chart, from
 *       JMH's CSV results ({@code scheduler-bench/scaling/scaling.sh});</li>
 *   <li>{@link dev.spindle.bench.measure.BusyThreads}: which threads, native ones included, were on a
 *       CPU while a piece of work ran (the evidence that a native library's thread count took
 *       effect).</li>
 *   <li>{@link dev.spindle.bench.measure.BenchmarkParams}: the check that a string {@code @Param}
 *       names a case the benchmark handles.</li>
 * </ul>
 */
package dev.spindle.bench.measure;
