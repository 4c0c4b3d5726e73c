/**
 * The public API of the Spindle scheduler.
 *
 * <ul>
 *   <li>{@link dev.spindle.core.Scheduler}: the pool ({@code global()} or built), fork/invoke and
 *       the {@link java.util.concurrent.ExecutorService} contract;</li>
 *   <li>{@link dev.spindle.core.Task}: a forked unit of work and its future; {@code join()} helps;</li>
 *   <li>{@link dev.spindle.core.SchedulerStats}: counters for observability and tests.</li>
 *   <li>{@link dev.spindle.core.ThreadPools}: every pool of the JVM ({@code info()}) and limits for
 *       the pools libraries start ({@code limit(n)}, a {@link dev.spindle.core.PoolLimits} handle).</li>
 * </ul>
 *
 * <p>The design notes, with the algorithms and the memory-ordering arguments, are in
 * {@code docs/design/} of the source repository: {@code README.md} maps each concept to its file.
 */
package dev.spindle.core;
