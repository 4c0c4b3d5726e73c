package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.testing.ForkedFibonacci;
import dev.spindle.core.testing.SchedulerHygiene;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pools larger than {@link WorkerPool#STEAL_PROBES}, where a scan while spinning probes only a few
 * victims and only the sleep protocol's re-check (and the exit check) sweeps every deque
 * ({@code docs/design/scaling.md}): work on one deque still reaches every worker, a fork racing the
 * last idle worker's way to sleep is never stranded, and fork/join results are exact. On two cores
 * these pools are oversubscribed: the tests check liveness and results, not speed.
 */
class LargePoolTest {

    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(10);

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    /**
     * One task forks a child for every other worker and stays busy without joining; each child
     * stays busy until all have started. They can only all start if every other worker found the
     * one deque that holds them.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void oneDeque_feedsEveryOtherWorker() throws Exception {
        int parallelism = 4 * WorkerPool.STEAL_PROBES;
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        int children = parallelism - 1;
        AtomicInteger started = new AtomicInteger();
        Set<Thread> runners = ConcurrentHashMap.newKeySet();
        AtomicReference<Thread> rootThread = new AtomicReference<>();
        Task<String> root = scheduler.submit(() -> {
            rootThread.set(Thread.currentThread());
            long deadline = System.nanoTime() + BOUND_NANOS;
            Task<?>[] forked = new Task<?>[children];
            for (int i = 0; i < children; i++) {
                forked[i] = scheduler.fork(() -> {
                    runners.add(Thread.currentThread());
                    started.incrementAndGet();
                    while (started.get() < children && System.nanoTime() - deadline < 0) {
                        Thread.onSpinWait();             // hold this worker until every child runs
                    }
                    return null;
                });
            }
            while (started.get() < children && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();                     // busy: this worker takes none of them back
            }
            String problem = started.get() < children
                    ? started.get() + " of " + children + " children started within 10 s" : null;
            for (Task<?> child : forked) {
                child.join();
            }
            return problem;
        });
        String problem = root.get(30, TimeUnit.SECONDS);
        if (problem != null) {
            fail(problem + "; " + scheduler.stats());
        }
        assertEquals(children, runners.size(), "children ran on " + runners.size() + " distinct workers");
        assertFalse(runners.contains(rootThread.get()), "a child ran on the root's worker while it was busy");
    }

    /**
     * All workers but two are blocked in tasks (blocked-worker detection off, so no stand-in
     * scans for them); task A runs on one of the two and forks B again and again, staying busy
     * until the other, W, has run B, with B forked at random points of W's way to sleep. When the
     * push comes after W's last spinning look and before W registers as a sleeper, only W's
     * re-check can find B: a re-check that probed only a few deques would let W sleep while B sits
     * on A's deque.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void forkWhileTheOnlyIdleWorkerFallsAsleep_isAlwaysStolen() throws Exception {
        int parallelism = 4 * WorkerPool.STEAL_PROBES;
        Scheduler scheduler = hygiene.track(Scheduler.builder().parallelism(parallelism)
                .name("large-pool-" + parallelism).detectBlockedWorkers(false).build());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(parallelism - 2);
        try {
            for (int i = 0; i < parallelism - 2; i++) {
                scheduler.execute(() -> {
                    blocked.countDown();
                    try {
                        release.await();                 // holds this worker for the whole test
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(blocked.await(30, TimeUnit.SECONDS), "blockers did not all start; " + scheduler.stats());
            long timeBox = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int t = 0; t < 100 && System.nanoTime() - timeBox < 0; t++) {
                long seed = t;
                Task<String> a = scheduler.submit(() -> StealRace.forkAndWaitForAThief(scheduler, 1_000, seed, BOUND_NANOS));
                String problem = a.get(30, TimeUnit.SECONDS);
                if (problem != null) {
                    fail("task " + t + ", " + problem + "; " + scheduler.stats());
                }
            }
        } finally {
            release.countDown();
        }
    }

    /** fib with every call a task, on three times as many workers as one scan probes: exact result. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fibOnALargePool_isExact() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(3 * WorkerPool.STEAL_PROBES);
        for (int round = 0; round < 5; round++) {
            long result = scheduler.submit(() -> ForkedFibonacci.of(scheduler, 20)).get(30, TimeUnit.SECONDS);
            assertEquals(6765L, result, "round " + round + "; " + scheduler.stats());
        }
    }
}
