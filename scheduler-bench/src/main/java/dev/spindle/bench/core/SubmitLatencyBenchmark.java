package dev.spindle.bench.core;

import dev.spindle.bench.baseline.SingleParkedThreadExecutor;
import dev.spindle.core.Scheduler;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * W5: wake-up cost. Before each operation the pool is left idle long enough for its workers to
 * park (2 ms; Spindle's spin-then-yield phase lasts microseconds). The operation submits a task
 * from an outside thread and spins until the task has started, so the time is submit-to-start
 * (the submitting thread never parks, so its own wake-up is not in the figure). Sample mode gives
 * the percentiles (p50, p99). The {@code parked-thread} baseline is one bare thread woken with
 * {@code LockSupport.unpark} ({@link SingleParkedThreadExecutor}): the floor for any pool whose
 * idle workers sleep, so the difference between a pool and it is what the pool's own protocol adds.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SubmitLatencyBenchmark {

    /** The pool: Spindle, or the baselines {@code forkjoinpool} and {@code parked-thread}. */
    @Param({"spindle", "forkjoinpool", "parked-thread"})
    public String scheduler;

    @Param({"2"})
    public int parallelism;

    private ExecutorService pool;
    private volatile boolean started;
    private final Runnable markStarted = () -> started = true;

    @Setup
    public void start() {
        switch (scheduler) {
            case "spindle":
                pool = Scheduler.builder().parallelism(parallelism).name("bench").build();
                break;
            case "forkjoinpool":
                pool = new ForkJoinPool(parallelism);
                break;
            case "parked-thread":
                pool = new SingleParkedThreadExecutor();
                break;
            default:
                throw new IllegalArgumentException(
                        "scheduler must be spindle, forkjoinpool or parked-thread, was " + scheduler);
        }
    }

    @Setup(Level.Invocation)
    public void letWorkersFallAsleep() {
        started = false;
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }

    @TearDown
    public void stop() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Benchmark
    public boolean submitToStart() {
        pool.execute(markStarted);
        while (!started) {
            Thread.onSpinWait();
        }
        return true;
    }
}
