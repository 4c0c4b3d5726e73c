package dev.spindle.linalg;

import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One operation over many inputs (matrices, usually), with both levels of parallelism on the same
 * Spindle workers: the outer loop over inputs is a lazily split {@link Parallel#forRange}, and an
 * operation that is itself parallel ({@link Blas#dgemm}, {@link PowerMethod}) splits only when a
 * worker is idle. So a batch of many small products runs one product per worker, a batch of one
 * huge product runs it on every worker, and a skewed batch (a few large among many small) lets
 * idle workers help with the large ones — never more threads than workers.
 *
 * <p>For the inner level to compose, the operation must use the same scheduler as the batch (the
 * default for both is {@link Scheduler#global()}). An operation on another pool blocks the worker
 * that calls it.
 *
 * <p>Exceptions: the first failure is rethrown after every started operation has finished, later
 * ones are added as suppressed (as for {@link Parallel#forRange}).
 */
public final class Batch {

    private Batch() {
    }

    /** {@link #map(Scheduler, List, Function)} on {@link Scheduler#global()}. */
    public static <T, R> List<R> map(List<? extends T> inputs, Function<? super T, ? extends R> operation) {
        return map(Scheduler.global(), inputs, operation);
    }

    /**
     * Applies {@code operation} to every input, in parallel, and returns the results in input
     * order (an unmodifiable list, which may hold nulls).
     *
     * @throws NullPointerException if an argument is null
     */
    public static <T, R> List<R> map(Scheduler scheduler, List<? extends T> inputs,
                                     Function<? super T, ? extends R> operation) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(operation, "operation");
        List<? extends T> items = new ArrayList<>(Objects.requireNonNull(inputs, "inputs"));
        Object[] results = new Object[items.size()];
        Parallel.forRange(scheduler, 0, items.size(), 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                results[i] = operation.apply(items.get(i));
            }
        });
        @SuppressWarnings("unchecked")
        List<R> list = (List<R>) Collections.unmodifiableList(Arrays.asList(results));
        return list;
    }
}
