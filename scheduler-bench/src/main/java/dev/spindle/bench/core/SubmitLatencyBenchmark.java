package dev.spindle.bench.core;

import dev.spindle.bench.baseline.SingleParkedThreadExecutor;
import dev.spindle.core.Scheduler;
import dev.spindle.core.SchedulerStats;
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
 * park (2 ms; Spindle's spin phase lasts microseconds). The operation submits a task
 * from an outside thread and spins until the task has started, so the time is submit-to-start
 * (the submitting thread never parks, so its own wake-up is not in the figure). Sample mode gives
 * the percentiles (p50, p99). The {@code parked-thread} baseline is one bare thread woken with
 * {@code LockSupport.unpark} ({@link SingleParkedThreadExecutor}): the floor for any pool whose
 * idle workers sleep, so the difference between a pool and it is what the pool's own protocol adds.
 *
 * <p>Before the first iteration every pool runs {@link #jitWarmUpSubmissions} wake-ups back to back,
 * so that the measured iterations time compiled code: at one operation per 2 ms, JMH's own warm-up
 * leaves the wake-up path in the interpreter and C1 for seconds into the measurement. At the end,
 * Spindle prints how many wake-ups its workers had per task (one: no worker wakes another).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SubmitLatencyBenchmark {

    /**
     * The pool: Spindle ({@code spindle}; {@code spindle-p1} with one worker whatever
     * {@link #parallelism} says; {@code spindle-unmonitored} without the stall monitor), or the
     * baselines {@code forkjoinpool} and {@code parked-thread} ({@code parked-thread-busy5us}: the
     * bare thread spinning 5 us after each task before it parks, as a worker that looks for more
     * work does).
     */
    @Param({"spindle", "forkjoinpool", "parked-thread"})
    public String scheduler;

    @Param({"2"})
    public int parallelism;

    /**
     * Submissions made before the first iteration, each followed by a short idle so that the
     * workers park: the wake-up path runs once per operation (about 500 times a second), far too
     * rarely for JMH's time-based warm-up to get it compiled by C2 before the measured iterations.
     * 0 measures the cold path as it is compiled along the way.
     */
    @Param({"20000"})
    public int jitWarmUpSubmissions;

    /** Idle after each warm-up submission: longer than any pool's spin phase, so workers park. */
    private static final long WARM_UP_IDLE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private ExecutorService pool;
    /** Spindle's counters after the warm-up, for the wake-up count printed at the end. */
    private SchedulerStats warmUp;
    private volatile boolean started;
    private final Runnable markStarted = () -> started = true;

    @Setup
    public void start() {
        switch (scheduler) {
            case "spindle":
                pool = Scheduler.builder().parallelism(parallelism).name("bench").build();
                break;
            case "spindle-p1":
                pool = Scheduler.builder().parallelism(1).name("bench").build();
                break;
            case "spindle-unmonitored":
                pool = Scheduler.builder().parallelism(parallelism).name("bench")
                        .detectBlockedWorkers(false).build();
                break;
            case "forkjoinpool":
                pool = new ForkJoinPool(parallelism);
                break;
            case "parked-thread":
                pool = new SingleParkedThreadExecutor();
                break;
            case "parked-thread-busy5us":
                pool = new SingleParkedThreadExecutor(TimeUnit.MICROSECONDS.toNanos(5));
                break;
            default:
                throw new IllegalArgumentException("scheduler must be spindle, spindle-p1,"
                        + " spindle-unmonitored, forkjoinpool, parked-thread or parked-thread-busy5us, was " + scheduler);
        }
        for (int i = 0; i < jitWarmUpSubmissions; i++) {
            started = false;
            submitToStart();
            for (long end = System.nanoTime() + WARM_UP_IDLE_NANOS; end - System.nanoTime() > 0; ) {
                Thread.onSpinWait();                     // a timed park would last a timer tick
            }
        }
        if (pool instanceof Scheduler) {
            warmUp = ((Scheduler) pool).stats();
        }
    }

    @Setup(Level.Invocation)
    public void letWorkersFallAsleep() {
        started = false;
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }

    @TearDown
    public void stop() throws InterruptedException {
        if (pool instanceof Scheduler) {
            // Wake-ups of parked workers by new work, after the warm-up (a check for a cascade:
            // one lone task per operation should wake one worker, once).
            SchedulerStats stats = ((Scheduler) pool).stats();
            System.out.printf("%n%s after the warm-up: %d tasks, %d wake-ups, %d parks%n", scheduler,
                    stats.tasksExecuted() - warmUp.tasksExecuted(), stats.wakeups() - warmUp.wakeups(),
                    stats.parks() - warmUp.parks());
        }
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
