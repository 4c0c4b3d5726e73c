package dev.spindle.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * {@code invokeAll} and {@code invokeAny} for every executor Spindle offers ({@link Scheduler},
 * {@link Arena#asExecutorService()}), written once over "how to start a task". Waiting uses
 * {@link Task#join()}/{@link Task#get}, so on a worker it helps: calling these from inside a task,
 * even on a pool of one, cannot deadlock.
 */
final class BulkInvocation {

    private BulkInvocation() {
    }

    static <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks,
                                         Function<Callable<T>, Task<T>> start) {
        List<Task<T>> started = startAll(tasks, start);
        for (Task<T> task : started) {
            joinQuietly(task);
        }
        return new ArrayList<>(started);
    }

    static <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout,
                                         TimeUnit unit, Function<Callable<T>, Task<T>> start)
            throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        long deadline = Task.deadlineAfter(unit.toNanos(timeout));
        List<Task<T>> started = startAll(tasks, start);
        try {
            for (Task<T> task : started) {
                if (!awaitQuietly(task, deadline)) {
                    break;
                }
            }
        } finally {
            for (Task<T> task : started) {
                task.cancel(false);                      // no effect on the ones that are done
            }
        }
        return new ArrayList<>(started);
    }

    /**
     * Returns the value of the first task to complete normally; the others are cancelled. If every
     * task ends without a value (it threw, or it was cancelled before it ran, as
     * {@code shutdownNow()} does to queued tasks), throws {@link ExecutionException} with the last
     * such ending as its cause: the exception thrown, or a {@link CancellationException}.
     *
     * @param nanos the time limit, or a negative value for none
     */
    static <T> T invokeAny(Collection<? extends Callable<T>> tasks, long nanos,
                           Function<Callable<T>, Task<T>> start)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(tasks, "tasks");
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("tasks must not be empty");
        }
        Task<T> first = Task.promise();
        AtomicInteger remaining = new AtomicInteger(tasks.size());
        List<Callable<T>> racing = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            Objects.requireNonNull(task, "an element of tasks");
            racing.add(new Racer<>(task, first, remaining));
        }
        List<Task<T>> started = startAll(racing, start);
        try {
            return nanos < 0 ? first.get() : first.get(nanos, TimeUnit.NANOSECONDS);
        } finally {
            first.cancel(false);
            for (Task<T> task : started) {
                task.cancel(false);
            }
        }
    }

    /**
     * One task of an {@code invokeAny}: completes the shared promise with its value, or, if it is
     * the last to end without one, with how it ended. Ending without a value includes being
     * cancelled before it ran (hence the {@link Task.CancellationListener}): otherwise a
     * {@code shutdownNow()} that cancels every queued task would leave the caller waiting forever.
     */
    private static final class Racer<T> implements Callable<T>, Task.CancellationListener, DrainedWork {
        private final Callable<T> task;
        private final Task<T> first;
        private final AtomicInteger remaining;
        /** Set by whichever of its failure or its cancellation counts this task out first. */
        private final AtomicBoolean countedOut = new AtomicBoolean();

        Racer(Callable<T> task, Task<T> first, AtomicInteger remaining) {
            this.task = task;
            this.first = first;
            this.remaining = remaining;
        }

        @Override
        public T call() throws Exception {
            T value;
            try {
                value = task.call();
            } catch (Throwable failure) {
                endedWithout(failure);
                throw failure;
            }
            first.complete(value);
            return value;
        }

        /** The user's task, run once, for {@code shutdownNow()}; the race is over by then. */
        @Override
        public Runnable whenDrained() {
            return RunnableCallable.toRunnable(task);
        }

        @Override
        public void taskCancelled() {
            endedWithout(new CancellationException("task was cancelled before it ran"));
        }

        private void endedWithout(Throwable how) {
            if (countedOut.compareAndSet(false, true) && remaining.decrementAndGet() == 0) {
                first.completeExceptionally(how);
            }
        }
    }

    private static <T> List<Task<T>> startAll(Collection<? extends Callable<T>> tasks,
                                              Function<Callable<T>, Task<T>> start) {
        Objects.requireNonNull(tasks, "tasks");
        for (Callable<T> task : tasks) {
            Objects.requireNonNull(task, "an element of tasks");
        }
        List<Task<T>> started = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                started.add(start.apply(task));
            }
        } catch (RejectedExecutionException rejected) {
            for (Task<T> task : started) {
                task.cancel(false);
            }
            throw rejected;
        }
        return started;
    }

    /** Waits for {@code task}, helping on a worker, ignoring interrupts (as {@link Task#join()}). */
    private static void joinQuietly(Task<?> task) {
        try {
            task.join();
        } catch (RuntimeException | Error completedAbnormally) {
            // invokeAll reports failures through the futures, not by throwing
        }
    }

    /**
     * Waits for {@code task} until the deadline, helping on a worker; false if the deadline passed
     * first.
     *
     * @throws InterruptedException if interrupted while waiting (the caller cancels what is left)
     */
    private static boolean awaitQuietly(Task<?> task, long deadline) throws InterruptedException {
        if (task.isDone()) {
            return true;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0L) {
            return false;
        }
        try {
            task.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException timedOut) {
            return false;
        } catch (RuntimeException | ExecutionException completedAbnormally) {
            // invokeAll reports failures through the futures, not by throwing
        }
        return true;
    }
}
