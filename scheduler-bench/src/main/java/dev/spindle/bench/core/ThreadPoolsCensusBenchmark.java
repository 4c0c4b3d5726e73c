package dev.spindle.bench.core;

import dev.spindle.core.PoolCensus;
import dev.spindle.core.Scheduler;
import dev.spindle.core.ThreadPools;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
 * What one {@code ThreadPools.info()} costs, with {@code extraThreads} idle threads (parked in a
 * latch) beside the JVM's own and a scheduler's: the census is meant to be cheap enough to print
 * at exit. The {@code stacks-only} baseline is the census's first step alone,
 * {@code Thread.getAllStackTraces()}, so the difference is what sorting the threads, reading
 * {@code /proc/self/task} and the CPU times add.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ThreadPoolsCensusBenchmark {

    /** {@code census}: {@code ThreadPools.info()}; {@code stacks-only}: {@code Thread.getAllStackTraces()}. */
    @Param({"census", "stacks-only"})
    public String what;

    @Param({"0", "200"})
    public int extraThreads;

    private final List<Thread> idle = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private Scheduler scheduler;

    @Setup
    public void start() {
        scheduler = Scheduler.builder().parallelism(2).name("census-bench").build();
        scheduler.invoke(() -> 1);
        for (int i = 0; i < extraThreads; i++) {
            Thread thread = new Thread(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "idle-" + i);
            thread.setDaemon(true);
            thread.start();
            idle.add(thread);
        }
    }

    @TearDown
    public void stop() throws InterruptedException {
        release.countDown();
        for (Thread thread : idle) {
            thread.join();
        }
        scheduler.close();
    }

    @Benchmark
    public Object take() {
        if ("census".equals(what)) {
            PoolCensus census = ThreadPools.info();
            return census;
        }
        Map<Thread, StackTraceElement[]> stacks = Thread.getAllStackTraces();
        return stacks;
    }
}
