package dev.spindle.bench.workload;

import dev.spindle.core.ForkableTask;
import dev.spindle.core.Scheduler;
import dev.spindle.core.Task;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;

/**
 * W5, the spawn/join workload: fib(n) where every call with n &gt;= 2 forks fib(n-1), computes
 * fib(n-2) itself and joins, so a run makes {@code fib(n+1) - 1} forks (1,346,268 for n = 30). The
 * same recursion on Spindle (with lambdas, {@link #onSpindle}; with task subclasses,
 * {@link #onSpindleForkable}) and on {@link ForkJoinPool} ({@link #task}), so that every benchmark
 * forking fib measures the same work.
 */
public final class ForkJoinFib {

    private ForkJoinFib() {
    }

    /** fib(n) on {@code scheduler}; call it inside a task of that scheduler ({@code invoke}). */
    public static int onSpindle(Scheduler scheduler, int n) {
        if (n < 2) {
            return n;
        }
        Task<Integer> first = scheduler.fork(() -> onSpindle(scheduler, n - 1));
        int second = onSpindle(scheduler, n - 2);
        return first.join() + second;
    }

    /**
     * fib(n) on {@code scheduler} with {@link ForkableTask}s: the recursion of {@link #onSpindle},
     * with the forked call a task object instead of a lambda, so a fork allocates one object where
     * {@link #onSpindle} allocates the task and the lambda. Any thread: the root runs in
     * {@code scheduler} ({@code invoke}).
     */
    public static int onSpindleForkable(Scheduler scheduler, int n) {
        return scheduler.invoke(() -> SpindleFibTask.fib(n));
    }

    private static final class SpindleFibTask extends ForkableTask<Integer> {
        private final int n;

        SpindleFibTask(int n) {
            this.n = n;
        }

        @Override
        protected Integer compute() {
            return fib(n);
        }

        static int fib(int n) {
            if (n < 2) {
                return n;
            }
            ForkableTask<Integer> first = new SpindleFibTask(n - 1).fork();
            int second = fib(n - 2);
            return first.join() + second;
        }
    }

    /** fib(n) as a {@link ForkJoinPool} task, for {@code ForkJoinPool.invoke}. */
    public static RecursiveTask<Integer> task(int n) {
        return new FibTask(n);
    }

    private static final class FibTask extends RecursiveTask<Integer> {
        private static final long serialVersionUID = 1L;
        private final int n;

        FibTask(int n) {
            this.n = n;
        }

        @Override
        protected Integer compute() {
            if (n < 2) {
                return n;
            }
            FibTask first = new FibTask(n - 1);
            first.fork();
            int second = new FibTask(n - 2).compute();
            return first.join() + second;
        }
    }
}
