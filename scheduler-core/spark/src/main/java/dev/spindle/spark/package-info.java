/**
 * Spindle in Apache Spark: one scheduler per executor, sized to the executor's cores, shared by
 * the kernels every task calls ({@code --conf spark.plugins=dev.spindle.spark.SpindlePlugin}).
 *
 * <ul>
 *   <li>{@link dev.spindle.spark.SpindlePlugin}: the class named in {@code spark.plugins}; it
 *       hands Spark its two parts;</li>
 *   <li>{@link dev.spindle.spark.SpindleExecutorPlugin}: on executor start, sizes
 *       {@code Scheduler.global()}, limits known library pools, registers the scheduler's
 *       statistics as Spark metrics and reports to the driver; binds per-task arenas when they are
 *       on;</li>
 *   <li>{@link dev.spindle.spark.SpindleDriverPlugin}: logs what each executor reported;</li>
 *   <li>{@link dev.spindle.spark.SpindleTask}: how a task's code runs in its capped arena
 *       ({@code spark.spindle.taskCaps=true}), or on the whole scheduler when caps are off;</li>
 *   <li>{@link dev.spindle.spark.SpindleConfig}: the {@code spark.spindle.*} keys, checked;</li>
 *   <li>{@link dev.spindle.spark.ExecutorCores}: an executor's cores as Spark decides them, and
 *       where the number came from;</li>
 *   <li>{@link dev.spindle.spark.SchedulerSizing}: whether the global scheduler got the worker
 *       count asked for (it is never resized once running);</li>
 *   <li>{@link dev.spindle.spark.ExecutorReport}: what one executor configured, as the driver
 *       logs it.</li>
 * </ul>
 *
 * <p>Guide: {@code docs/guides/spark.md}; design: {@code docs/design/spark.md} of the source
 * repository.
 */
package dev.spindle.spark;
