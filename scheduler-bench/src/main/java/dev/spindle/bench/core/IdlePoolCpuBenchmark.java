package dev.spindle.bench.core;

import dev.spindle.bench.measure.IterationWeight;
import dev.spindle.core.Scheduler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * W5: CPU time an idle pool burns. Each operation wakes every worker with a short burst of tasks,
 * waits for it, then sleeps one second; the {@code workerCpuMillis} counter is the CPU time the
 * pool's threads used during that second (per-thread CPU time of the threads whose names the pool
 * gives them, read before and after the sleep). It should be about 0: an idle pool spins briefly,
 * then parks.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@State(Scope.Benchmark)
public class IdlePoolCpuBenchmark {

    /** {@code spindle}, {@code forkjoinpool} (a new pool) or {@code fixed} (Executors.newFixedThreadPool). */
    @Param({"spindle", "forkjoinpool", "fixed"})
    public String pool;

    private ExecutorService executor;
    private String threadNamePrefix;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** CPU time of the pool's threads during the idle second, in ms. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class IdleCpu {
        /** The pool's CPU time per idle second, in ms: the mean over measured iterations. */
        public double workerCpuMillis;
        private double sumMillis;
        private long seconds;

        @Setup(Level.Iteration)
        public void reset() {
            sumMillis = 0;
            seconds = 0;
            workerCpuMillis = 0;
        }

        void add(double millis) {
            sumMillis += millis;
            seconds++;
        }

        /** JMH sums EVENTS counters over iterations: see {@link IterationWeight}. */
        @TearDown(Level.Iteration)
        public void close(BenchmarkParams params) {
            workerCpuMillis = seconds == 0 ? 0 : sumMillis / seconds * IterationWeight.of(params);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        int parallelism = Runtime.getRuntime().availableProcessors();
        switch (pool) {
            case "spindle":
                executor = Scheduler.builder().parallelism(parallelism).name("idle-spindle").build();
                threadNamePrefix = "idle-spindle";
                break;
            case "forkjoinpool":
                executor = new ForkJoinPool(parallelism);
                threadNamePrefix = "ForkJoinPool-";
                break;
            case "fixed":
                executor = Executors.newFixedThreadPool(parallelism, runnable -> {
                    Thread thread = new Thread(runnable, "idle-fixed");
                    thread.setDaemon(true);
                    return thread;
                });
                threadNamePrefix = "idle-fixed";
                break;
            default:
                throw new IllegalArgumentException("pool must be spindle, forkjoinpool or fixed, was " + pool);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(pool + " pool did not terminate within 10 s");
        }
    }

    @Benchmark
    public long idleSecond(IdleCpu cpu) throws Exception {
        List<Future<?>> burst = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            burst.add(executor.submit(() -> Math.sqrt(System.nanoTime())));
        }
        for (Future<?> future : burst) {
            future.get();
        }
        long before = poolCpuNanos();
        Thread.sleep(1000);
        long used = poolCpuNanos() - before;
        cpu.add(used * 1e-6);
        return used;
    }

    private long poolCpuNanos() {
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(threadNamePrefix)) {
                long nanos = threads.getThreadCpuTime(thread.getId());
                if (nanos > 0) {
                    total += nanos;
                }
            }
        }
        return total;
    }
}
