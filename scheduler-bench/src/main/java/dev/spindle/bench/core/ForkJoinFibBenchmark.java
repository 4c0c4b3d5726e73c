package dev.spindle.bench.core;

import dev.spindle.core.Scheduler;
import dev.spindle.core.Task;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W5: spawn/join cost. fib(n) where every call with n &gt;= 2 forks fib(n-1), computes fib(n-2)
 * itself and joins: {@code fib(n+1) - 1} forks per run (1,346,268 for n = 30). The same
 * recursion on Spindle and on {@link ForkJoinPool} ({@link RecursiveTask}), chosen by the
 * {@code scheduler} parameter, so the two are measured side by side in one run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class ForkJoinFibBenchmark {

    /** Which scheduler runs the recursion: the baseline is {@code forkjoinpool}. */
    @Param({"spindle", "forkjoinpool"})
    public String scheduler;

    /** Worker threads. */
    @Param({"1", "2"})
    public int parallelism;

    /** The argument of fib. */
    @Param({"30"})
    public int n;

    private Scheduler spindle;
    private ForkJoinPool forkJoinPool;

    @Setup
    public void start() {
        switch (scheduler) {
            case "spindle":
                spindle = Scheduler.builder().parallelism(parallelism).name("bench").build();
                break;
            case "forkjoinpool":
                forkJoinPool = new ForkJoinPool(parallelism);
                break;
            default:
                throw new IllegalArgumentException("scheduler must be spindle or forkjoinpool, was " + scheduler);
        }
    }

    @TearDown
    public void stop() {
        if (spindle != null) {
            spindle.close();
        }
        if (forkJoinPool != null) {
            forkJoinPool.shutdown();
        }
    }

    @Benchmark
    public int fib() {
        if (spindle != null) {
            return spindle.invoke(() -> spindleFib(spindle, n));
        }
        return forkJoinPool.invoke(new FibTask(n));
    }

    static int spindleFib(Scheduler scheduler, int n) {
        if (n < 2) {
            return n;
        }
        Task<Integer> first = scheduler.fork(() -> spindleFib(scheduler, n - 1));
        int second = spindleFib(scheduler, n - 2);
        return first.join() + second;
    }

    static final class FibTask extends RecursiveTask<Integer> {
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
