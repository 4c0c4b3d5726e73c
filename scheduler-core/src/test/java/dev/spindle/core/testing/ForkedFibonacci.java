package dev.spindle.core.testing;

import dev.spindle.core.Scheduler;
import dev.spindle.core.Task;

/**
 * Fibonacci by fork and join, the classic recursive load of a work-stealing pool: each call with
 * {@code n >= 2} forks {@code fib(n - 1)}, computes {@code fib(n - 2)} itself and joins, so
 * {@code fib(n)} forks {@code fib(n + 1) - 1} tasks (10,945 for {@code fib(20)}).
 */
public final class ForkedFibonacci {

    private ForkedFibonacci() {
    }

    /** {@code fib(n)}, forked on {@code scheduler}; call it from a task of that scheduler. */
    public static long of(Scheduler scheduler, int n) {
        if (n < 2) {
            return n;
        }
        Task<Long> minus1 = scheduler.fork(() -> of(scheduler, n - 1));
        long minus2 = of(scheduler, n - 2);
        return minus1.join() + minus2;
    }
}
