/**
 * The composability demo ({@code java --add-modules jdk.incubator.vector -jar benchmarks.jar demo}).
 *
 * <ul>
 *   <li>{@link dev.spindle.bench.demo.Demo}: runs each chosen {@link dev.spindle.bench.demo.DemoWorkload}
 *       in each variant, in interleaved rounds, with the command line parsed by
 *       {@link dev.spindle.bench.demo.DemoOptions}; the workloads are sized by time at start-up
 *       (the package-private {@code SizeCalibration});</li>
 *   <li>{@link dev.spindle.bench.demo.VariantResult}: one variant's {@link dev.spindle.bench.demo.RunTimes}
 *       (median, fastest, slowest), census and rounds won;</li>
 *   <li>{@link dev.spindle.bench.demo.ResultTable} and {@link dev.spindle.bench.demo.DemoChart}: the
 *       results as a table with one sentence that reads it, and as charts with the spread.</li>
 * </ul>
 */
package dev.spindle.bench.demo;
