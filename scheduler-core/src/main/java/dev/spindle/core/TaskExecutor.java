package dev.spindle.core;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The part of the {@link ExecutorService} contract that every Spindle executor ({@link Scheduler},
 * an arena's {@link Arena#asExecutorService()}) shares, written once over {@link #submit(Callable)}:
 * {@code submit(Runnable)}, {@code invokeAll}, {@code invokeAny} and {@code close}. Waiting uses
 * {@link Task#join()}/{@link Task#get}, so on a worker it helps: calling these from inside a task,
 * even on a pool of one worker, cannot deadlock.
 */
abstract class TaskExecutor implements ExecutorService, AutoCloseable {

    TaskExecutor() {
    }

    /**
     * Starts {@code task}.
     *
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException after shutdown
     */
    @Override
    public abstract <T> Task<T> submit(Callable<T> task);

    /**
     * Whether the calling thread is running one of this executor's own tasks; {@link #close()}
     * then only shuts down, because such a task could never see the executor terminate.
     */
    abstract boolean calledFromOwnTask();

    /**
     * Starts {@code task}; its future yields {@code result} when it completes.
     *
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException after shutdown
     */
    @Override
    public <T> Task<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return submit(new RunnableCallable<>(task, result, false));
    }

    /**
     * Starts {@code task}; its future yields null when it completes.
     *
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException after shutdown
     */
    @Override
    public Task<?> submit(Runnable task) {
        return submit(task, null);
    }

    /**
     * Runs all tasks and waits for all of them; on a worker the wait helps. The returned futures
     * are all done, in the order of {@code tasks}; failures are reported through them.
     *
     * @throws NullPointerException if {@code tasks} or any element is null
     * @throws RejectedExecutionException after shutdown
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
        return BulkInvocation.invokeAll(tasks, this::submit);
    }

    /**
     * Runs all tasks and waits until all are done or the time is up; tasks not done by then are
     * cancelled. The returned futures are all done.
     *
     * @throws InterruptedException if interrupted while waiting (unfinished tasks are cancelled)
     * @throws NullPointerException if {@code tasks}, any element, or {@code unit} is null
     * @throws RejectedExecutionException after shutdown
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout,
                                         TimeUnit unit) throws InterruptedException {
        return BulkInvocation.invokeAll(tasks, timeout, unit, this::submit);
    }

    /**
     * Runs the tasks and returns the result of one that completed normally; the others are
     * cancelled.
     *
     * @throws IllegalArgumentException if {@code tasks} is empty
     * @throws ExecutionException if no task completed normally: the cause is how the last one
     *     ended, its exception, or a {@link java.util.concurrent.CancellationException} if it was
     *     cancelled before it ran (by {@code shutdownNow()}), as
     *     {@code AbstractExecutorService.invokeAny} reports it
     * @throws RejectedExecutionException after shutdown
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
            throws InterruptedException, ExecutionException {
        try {
            return BulkInvocation.invokeAny(tasks, -1L, this::submit);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * As {@link #invokeAny(Collection)}, waiting at most the given time.
     *
     * @throws TimeoutException if no task completed normally in time
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        return BulkInvocation.invokeAny(tasks, Math.max(0L, unit.toNanos(timeout)), this::submit);
    }

    /**
     * Shuts down and waits for termination, as {@code ExecutorService.close()} does on Java 19+:
     * if interrupted while waiting, calls {@link #shutdownNow()}, keeps waiting, and restores the
     * interrupt status. Called from one of this executor's own tasks, it only shuts down.
     */
    @Override
    public void close() {
        shutdown();
        if (calledFromOwnTask()) {
            return;
        }
        boolean interrupted = false;
        while (!isTerminated()) {
            try {
                awaitTermination(1, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    shutdownNow();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
