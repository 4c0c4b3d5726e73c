package dev.spindle.bench.core;

import dev.spindle.bench.workload.ForkJoinFib;
import dev.spindle.core.Scheduler;
import java.util.concurrent.ForkJoinPool;
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
 * W5: spawn/join cost. {@link ForkJoinFib}'s fib(n), {@code fib(n+1) - 1} forks per run
 * (1,346,268 for n = 30), on Spindle and on {@link ForkJoinPool} ({@code RecursiveTask}), chosen
 * by the {@code scheduler} parameter, so the two are measured side by side in one run. Spindle
 * runs it as users write it with lambdas ({@code spindle}: {@code fork(() -> ...)}) and with task
 * subclasses ({@code spindle-forkable}: {@code ForkableTask}, the shape of {@code RecursiveTask}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class ForkJoinFibBenchmark {

    /** Which scheduler runs the recursion: the baseline is {@code forkjoinpool}. */
    @Param({"spindle", "spindle-forkable", "forkjoinpool"})
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
            case "spindle-forkable":
                spindle = Scheduler.builder().parallelism(parallelism).name("bench").build();
                break;
            case "forkjoinpool":
                forkJoinPool = new ForkJoinPool(parallelism);
                break;
            default:
                throw new IllegalArgumentException("scheduler must be spindle, spindle-forkable or forkjoinpool, was "
                        + scheduler);
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
            return scheduler.equals("spindle")
                    ? spindle.invoke(() -> ForkJoinFib.onSpindle(spindle, n))
                    : ForkJoinFib.onSpindleForkable(spindle, n);
        }
        return forkJoinPool.invoke(ForkJoinFib.task(n));
    }
}
