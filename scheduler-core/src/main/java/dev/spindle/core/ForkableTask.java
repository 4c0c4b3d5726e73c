package dev.spindle.core;

import java.util.concurrent.Callable;

/**
 * A task that is its own work, for recursive code that forks many small tasks: subclass it, keep
 * the arguments in fields, put the work in {@link #compute()}, {@link #fork()} it and wait with
 * {@link #join()}. The shape of {@code java.util.concurrent.RecursiveTask}. A fork then allocates
 * this one object (32 bytes for the example, with compressed pointers), where
 * {@link Scheduler#fork(Callable)} allocates a task and the caller's lambda (48 bytes:
 * {@code docs/design/join.md}, "What the fast path pays").
 *
 * <pre>{@code
 * final class Fib extends ForkableTask<Integer> {
 *     private final int n;
 *     Fib(int n) { this.n = n; }
 *
 *     protected Integer compute() { return fib(n); }
 *
 *     static int fib(int n) {
 *         if (n < 2) return n;
 *         ForkableTask<Integer> first = new Fib(n - 1).fork();
 *         int second = fib(n - 2);          // the half run here is a plain call, not a task
 *         return first.join() + second;
 *     }
 * }
 * int result = scheduler.invoke(() -> Fib.fib(30));
 * }</pre>
 *
 * <p>({@code new Fib(n - 2).compute()}, as the {@code RecursiveTask} example in the JDK writes
 * it, works too, but allocates a task for the half that is never forked whenever the JIT cannot
 * remove it.)
 *
 * <p>Everything {@link Task} guarantees holds: the task runs at most once, completes normally,
 * exceptionally or by cancellation, and {@code join} helps. A task is forked at most once: a
 * second fork throws {@link IllegalStateException}. Two forks of one task racing on two threads
 * are not detected (detecting them would cost every fork an atomic operation): the task may then
 * run twice and its outcome is undefined, as for a {@code ForkJoinTask} forked twice, so do not
 * share an unforked task between threads. A wait on a task that was never forked ({@code join},
 * {@code get}, {@code toCompletableFuture}) throws {@link IllegalStateException} instead of
 * waiting forever. Calling
 * {@link #compute()} directly, as in the example, runs the work as a plain call: the task is not
 * forked, and its own state does not change.
 *
 * <p>The methods of {@link Task} are final: the scheduler relies on what they say (a join that
 * helps, a status that moves once), and a subclass can change only {@code compute()} and
 * {@code toString()}.
 *
 * <p>If {@link Scheduler#shutdownNow()} drains a forked task that never started, it is cancelled
 * and returned as a {@code Runnable} that calls {@code compute()} once, as for a {@code Callable}.
 *
 * @param <T> the type of the result
 */
public abstract non-sealed class ForkableTask<T> extends TaskInRegion<T> {

    /** A task of no region until it is forked. */
    protected ForkableTask() {
        super();
    }

    /**
     * The work. Runs once when the forked task runs (on a worker, or, for a task forked from
     * outside the pool, on whichever worker takes it); what it returns or throws completes the
     * task, as for the {@code Callable} of {@link Scheduler#fork(Callable)}.
     *
     * @return the task's value
     * @throws Exception completes the task exceptionally: {@code join} rethrows an unchecked one as
     *     it is and wraps a checked one in {@link java.util.concurrent.CompletionException}
     */
    protected abstract T compute() throws Exception;

    /**
     * Starts this task in the pool the calling thread works for: on a worker of a scheduler (a
     * stand-in included), it goes on that worker's own deque, as {@link Scheduler#fork(Callable)}
     * puts it there; on any other thread it is submitted to {@link Scheduler#global()} (as
     * {@code ForkJoinTask.fork()} uses the common pool). To choose the scheduler from outside its
     * workers, use {@link Scheduler#fork(ForkableTask)}.
     *
     * @return this task
     * @throws IllegalStateException if this task was forked before
     */
    public final ForkableTask<T> fork() {
        Thread thread = Thread.currentThread();
        if (thread instanceof WorkerThread) {
            Worker worker = ((WorkerThread) thread).worker();
            markForked(worker.currentRegion());
            worker.push(this);                           // publishes the task, its region included
            return this;
        }
        return Scheduler.global().fork(this);
    }

    @Override
    final T computeOwnWork() throws Exception {
        return compute();
    }

    /**
     * Marks the task forked in {@code into} (null: the scheduler's default region), before the
     * push or submission that publishes it. Only the forking thread.
     *
     * @throws IllegalStateException if the task was forked before
     */
    final void markForked(Region into) {
        if (region != Region.UNFORKED) {
            throw new IllegalStateException("a ForkableTask is forked at most once; fork a new one: " + this);
        }
        region = into;
    }
}
