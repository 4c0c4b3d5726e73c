package dev.spindle.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's pool in one JVM, without the agent: under racing submitters and a
 * {@code shutdownNow} every task is run exactly once, returned, or rejected, never lost or run
 * twice; the cap holds under concurrency; the pool terminates. (The tests' hard timeout fails a
 * hang; the child-JVM tests in {@link SpindleAgentTest} dump stacks.)
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedirectedThreadPoolExecutorTest {

    private static RedirectedThreadPoolExecutor pool(Scheduler scheduler, int cap) {
        return new RedirectedThreadPoolExecutor(scheduler, "test(" + cap + ")", cap, false,
                Executors.defaultThreadFactory(),
                new ThreadFactoryProbe.Traits(null, Thread.currentThread().getContextClassLoader()));
    }

    @Test
    void racingSubmittersAndShutdownNow_everyTaskRunOnceReturnedOrRejected() throws Exception {
        try (Scheduler scheduler = Scheduler.builder().parallelism(2).name("rtpe-race").build()) {
            for (int round = 0; round < 20; round++) {
                RedirectedThreadPoolExecutor pool = pool(scheduler, 3);
                int perSubmitter = 2_000;
                int submitters = 4;
                AtomicIntegerArray runs = new AtomicIntegerArray(perSubmitter * submitters);
                AtomicInteger rejected = new AtomicInteger();
                List<Runnable> returned = new ArrayList<>();
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                for (int s = 0; s < submitters; s++) {
                    int base = s * perSubmitter;
                    Thread t = new Thread(() -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        for (int i = 0; i < perSubmitter; i++) {
                            int id = base + i;
                            try {
                                pool.execute(new Numbered(id, runs));
                            } catch (RejectedExecutionException e) {
                                rejected.incrementAndGet();
                            }
                        }
                    });
                    t.start();
                    threads.add(t);
                }
                start.countDown();
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(3)));
                returned.addAll(pool.shutdownNow());
                for (Thread t : threads) {
                    t.join();
                }
                assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "terminates: " + pool);
                int ran = 0;
                for (int i = 0; i < runs.length(); i++) {
                    assertTrue(runs.get(i) <= 1, "task " + i + " ran " + runs.get(i) + " times");
                    ran += runs.get(i);
                }
                for (Runnable r : returned) {
                    assertEquals(0, runs.get(((Numbered) r).id), "a returned task also ran");
                }
                assertEquals(perSubmitter * submitters, ran + returned.size() + rejected.get(),
                        "ran " + ran + " + returned " + returned.size() + " + rejected " + rejected.get());
            }
        }
    }

    @Test
    void theCapHoldsUnderConcurrentSubmissions() throws Exception {
        try (Scheduler scheduler = Scheduler.builder().parallelism(4).name("rtpe-cap").build()) {
            RedirectedThreadPoolExecutor pool = pool(scheduler, 3);
            AtomicInteger now = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(400);
            for (int i = 0; i < 400; i++) {
                pool.execute(() -> {
                    peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000));
                    now.decrementAndGet();
                    done.countDown();
                });
            }
            assertTrue(done.await(60, TimeUnit.SECONDS));
            assertTrue(peak.get() <= 3, "peak " + peak.get());
            assertEquals(400, pool.getCompletedTaskCount());
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    /** A task that counts its runs. */
    private static final class Numbered implements Runnable {
        final int id;
        private final AtomicIntegerArray runs;

        Numbered(int id, AtomicIntegerArray runs) {
            this.id = id;
            this.runs = runs;
        }

        @Override
        public void run() {
            runs.incrementAndGet(id);
        }
    }
}
