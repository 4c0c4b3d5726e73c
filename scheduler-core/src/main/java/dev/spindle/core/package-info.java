/**
 * The public API of the Spindle scheduler: one shared work-stealing pool, and what is built on it.
 *
 * <p>The pool and its tasks:
 * <ul>
 *   <li>{@link dev.spindle.core.Scheduler}: the pool ({@code global()} or built), fork/invoke and
 *       the {@link java.util.concurrent.ExecutorService} contract;</li>
 *   <li>{@link dev.spindle.core.Task}: a forked unit of work and its future; {@code join()} helps;</li>
 *   <li>{@link dev.spindle.core.ForkableTask}: a task that is its own work ({@code compute()}), for
 *       recursive code that forks many small tasks: a fork allocates one object;</li>
 *   <li>{@link dev.spindle.core.SchedulerStats}: a snapshot of the pool's counters;</li>
 *   <li>{@link dev.spindle.core.TaskGroup}: structured concurrency, {@code close()} waits for every
 *       spawned task;</li>
 *   <li>{@link dev.spindle.core.Arena}: a capped, prioritised share of the same workers, with an
 *       {@code ExecutorService} view that creates no threads; {@link dev.spindle.core.ArenaStats}, a
 *       snapshot of one arena's figures (also in the scheduler's JMX view).</li>
 * </ul>
 *
 * <p>Parallel loops, reductions, sorts and scans: {@link dev.spindle.core.Parallel}, with the bodies
 * it calls — {@link dev.spindle.core.RangeBody} and {@link dev.spindle.core.LongRangeBody} (a
 * sub-range {@code [lo, hi)}), {@link dev.spindle.core.TileBody} (a 2-D tile),
 * {@link dev.spindle.core.RangeFunction} (a partial result of a reduction) and its unboxed forms
 * {@link dev.spindle.core.RangeToDoubleFunction}, {@link dev.spindle.core.RangeToLongFunction} and
 * {@link dev.spindle.core.RangeToIntFunction}.
 *
 * <p>The other pools of the JVM: {@link dev.spindle.core.ThreadPools} takes a census
 * ({@code info()}, a {@link dev.spindle.core.PoolCensus}) and limits the pools libraries start
 * ({@code limit(n)}, a {@link dev.spindle.core.PoolLimits} handle that restores them).
 *
 * <p>The design notes, with the algorithms and the memory-ordering arguments, are in
 * {@code docs/design/} of the source repository: {@code README.md} maps each concept to its file.
 */
package dev.spindle.core;
