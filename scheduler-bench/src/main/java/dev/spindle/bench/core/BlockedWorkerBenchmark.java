package dev.spindle.bench.core;

import dev.spindle.bench.measure.BenchmarkParams;
import dev.spindle.core.Scheduler;
import java.util.concurrent.CountDownLatch;
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
 * How long a pool whose only worker blocks waits before the work it blocks on runs: the reaction
 * time of blocked-worker detection ({@code docs/design/blocking.md}). One operation: a task on a
 * one-worker scheduler executes a sibling (which lands on the worker's own deque) and waits for
 * it on a latch; only a stand-in can run the sibling. The outside thread waits until the task has
 * finished, so the time is that of a pool that would otherwise hang.
 *
 * <p>{@code detected}: a plain {@code CountDownLatch.await()}, found by the stall monitor.
 * {@code managedBlock}: the same wait inside {@code Scheduler.managedBlock}, which asks for the
 * stand-in at once: the floor, what a spare's wake-up costs.
 *
 * <p>{@code pauseMillis}: the idle time before each operation. With 0 the operations follow each
 * other, and a stand-in from the previous one may still be active (the monitor notices a resumed
 * worker at its next check): that is the time a pool that blocks often sees. With 20 the monitor
 * has noticed the resumption and the stand-in has retired, so every operation waits for a fresh
 * detection: the cold reaction time.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class BlockedWorkerBenchmark {

    @Param({"detected", "managedBlock"})
    public String waiting;

    @Param({"0", "20"})
    public int pauseMillis;

    private Scheduler pool;

    @Setup
    public void start() {
        BenchmarkParams.requireOneOf("waiting", waiting, "detected", "managedBlock");
        pool = Scheduler.builder().parallelism(1).name("bench-blocked").build();
    }

    @Setup(Level.Invocation)
    public void pause() {
        if (pauseMillis > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
        }
    }

    @TearDown
    public void stop() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Benchmark
    public boolean blockedUntilTheSiblingRuns() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        boolean managed = waiting.equals("managedBlock");
        pool.execute(() -> {
            CountDownLatch sibling = new CountDownLatch(1);
            pool.execute(sibling::countDown);
            if (managed) {
                Scheduler.managedBlock(() -> {
                    sibling.await();
                    return null;
                });
            } else {
                awaitUninterruptibly(sibling);
            }
            done.countDown();
        });
        done.await();
        return true;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
