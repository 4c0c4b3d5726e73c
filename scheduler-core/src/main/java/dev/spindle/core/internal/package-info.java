/**
 * Building blocks of the scheduler; not exported from the module, not an API.
 *
 * <ul>
 *   <li>{@link dev.spindle.core.internal.WorkStealingDeque}: the per-worker Chase–Lev deque
 *       ({@code docs/design/deque.md});</li>
 *   <li>{@link dev.spindle.core.internal.Sleep}: idle workers and wake-ups without lost signals
 *       ({@code docs/design/sleep.md});</li>
 *   <li>{@link dev.spindle.core.internal.SubmissionGate}: admission of outside submissions and a
 *       race-free shutdown;</li>
 *   <li>{@link dev.spindle.core.internal.SubmissionQueues}: the queues of submitted work (injector,
 *       arena queues), whose chunks are never pooled;</li>
 *   <li>{@link dev.spindle.core.internal.ParallelismSetting}: where the worker count comes from.</li>
 * </ul>
 *
 * <p>The host budget ({@code docs/design/host-budget.md}): {@link dev.spindle.core.internal.HostBudget},
 * CPU tokens shared by the JVMs on a host as OS file locks, and
 * {@link dev.spindle.core.internal.HostBudgetSetting}, its configuration from
 * {@code -Dspindle.hostBudget} or {@code SPINDLE_HOST_BUDGET}, validated.
 *
 * <p>Memory-access naming: VarHandle modes are spelled out at each use ({@code getAcquire},
 * {@code setRelease}, {@code setOpaque}, {@code compareAndSet}, {@code fullFence}), with a comment
 * saying which other access it pairs with.
 */
package dev.spindle.core.internal;
