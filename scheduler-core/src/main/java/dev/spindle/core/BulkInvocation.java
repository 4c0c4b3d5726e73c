package dev.spindle.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /** @param nanos the time limit, or a negative value for none */
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
            racing.add(() -> {
                try {
                    T value = task.call();
                    first.complete(value);
                    return value;
                } catch (Throwable failure) {
                    if (remaining.decrementAndGet() == 0) {
                        first.completeExceptionally(failure);
                    }
                    throw failure;
                }
            });
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
