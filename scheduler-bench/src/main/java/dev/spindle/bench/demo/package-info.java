/**
 * The composability demo ({@code java -jar benchmarks.jar demo}).
 *
 * <ul>
 *   <li>{@link dev.spindle.bench.demo.Demo}: runs each chosen {@link dev.spindle.bench.demo.DemoWorkload}
 *       in each variant, with the command line parsed by {@link dev.spindle.bench.demo.DemoOptions};</li>
 *   <li>{@link dev.spindle.bench.demo.VariantResult}: one variant's median time and census;</li>
 *   <li>{@link dev.spindle.bench.demo.ResultTable} and {@link dev.spindle.bench.demo.DemoChart}: the
 *       results as a table with one sentence that reads it, and as charts.</li>
 * </ul>
 */
package dev.spindle.bench.demo;
