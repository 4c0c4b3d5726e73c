package dev.spindle.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Parallelism the way code with its own thread pool writes it: one task per index submitted to an
 * {@link ExecutorService}, then the caller blocks in {@code Future.get()} on each in turn (it does
 * not help). Used by the baselines' outer level ({@link TwoLevelExecution#forEachItem}) and their
 * banded kernels ({@link RowBands}).
 *
 * <p>Any thread may call; the pool must be running.
 */
final class BlockingFanOut {

    private BlockingFanOut() {
    }

    /**
     * Runs {@code task.accept(i)} on {@code pool} for every i in {@code [0, count)} and returns when
     * all are done.
     *
     * @param what one of the tasks, for messages, e.g. {@code "a band"}
     * @throws IllegalStateException with the first failed task's exception as cause ("{@code what}
     *     failed"), or if the caller is interrupted while it waits (the interrupt status is then set
     *     again)
     */
    static void run(ExecutorService pool, int count, IntConsumer task, String what) {
        List<Future<?>> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            pending.add(pool.submit(() -> task.accept(index)));
        }
        for (Future<?> future : pending) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(what + " failed", e.getCause());
            }
        }
    }
}
