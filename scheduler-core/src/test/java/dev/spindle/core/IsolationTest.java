package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BodyFailures;
import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Scheduler#isolate}: a worker waiting inside an isolated region runs only that region's
 * tasks. Joins ignore interrupts, so timeouts run the test in a separate thread: a hang fails,
 * never sticks.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IsolationTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final int UNRELATED = 50;

    /** What happened while the outer task waited inside its parallel loop. */
    private static final class Reentry {
        final AtomicInteger violations = new AtomicInteger();
        final AtomicInteger unrelatedDone = new AtomicInteger();
        volatile int unrelatedDoneWhileOuterWaited = -1;
    }

    /**
     * On 2 workers: an outer task holds a lock and sets a thread-local flag, then runs a 2-block
     * loop (inside {@code isolate} or not). Its left block ends at once, so its worker A waits in
     * the loop's join; the right block runs on worker B until released. While A waits, unrelated
     * tasks (each forking a child) are submitted from outside; each records a violation if it
     * starts on a thread that holds the lock or has the flag set. B is busy, so only A could run
     * them before the release.
     */
    private Reentry runUnrelatedTasksWhileAnOuterTaskWaits(boolean isolated) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        ReentrantLock lock = new ReentrantLock();
        ThreadLocal<Boolean> insideOuter = ThreadLocal.withInitial(() -> false);
        AtomicBoolean rightRunning = new AtomicBoolean();
        AtomicBoolean leftDone = new AtomicBoolean();
        CountDownLatch releaseRight = new CountDownLatch(1);
        Reentry reentry = new Reentry();

        Runnable loop = () -> Parallel.forRange(scheduler, 0, 2, 1, (lo, hi) -> {
            if (lo == 0) {
                BoundedWait.until(rightRunning::get, 10_000);   // the right block is on the other worker
                leftDone.set(true);
                return;
            }
            rightRunning.set(true);
            // Busy, not blocked: a blocked worker would get a stand-in, which could run the
            // unrelated tasks and hide whether A runs them.
            BoundedWait.until(() -> releaseRight.getCount() == 0, 10_000);
        });
        Task<?> outer = scheduler.submit(() -> {
            lock.lock();
            insideOuter.set(true);
            try {
                if (isolated) {
                    scheduler.isolate(loop);
                } else {
                    loop.run();
                }
            } finally {
                insideOuter.set(false);
                lock.unlock();
            }
        });
        assertTrue(BoundedWait.until(leftDone::get, 10_000), "the loop never split across both workers");

        Runnable check = () -> {
            if (insideOuter.get() || lock.isHeldByCurrentThread()) {
                reentry.violations.incrementAndGet();
            }
            reentry.unrelatedDone.incrementAndGet();
        };
        List<Task<?>> unrelated = new ArrayList<>();
        for (int i = 0; i < UNRELATED; i++) {
            unrelated.add(scheduler.submit(() -> {
                check.run();
                scheduler.fork(() -> {
                    check.run();
                    return null;
                }).join();
            }));
        }
        if (isolated) {
            Thread.sleep(300);                           // ample time for A to take them, if it would
        } else {
            BoundedWait.until(() -> reentry.unrelatedDone.get() == 2 * UNRELATED, 10_000);
        }
        reentry.unrelatedDoneWhileOuterWaited = reentry.unrelatedDone.get();
        releaseRight.countDown();

        outer.get(10, TimeUnit.SECONDS);
        for (Task<?> task : unrelated) {
            task.get(10, TimeUnit.SECONDS);
        }
        assertEquals(2 * UNRELATED, reentry.unrelatedDone.get());
        return reentry;
    }

    @Test
    void isolatedWait_neverRunsAnUnrelatedTaskOnTheWaitingThread() throws Exception {
        Reentry reentry = runUnrelatedTasksWhileAnOuterTaskWaits(true);

        assertEquals(0, reentry.violations.get(), "unrelated tasks started on a thread holding the outer task's lock");
        assertEquals(0, reentry.unrelatedDoneWhileOuterWaited, "the waiting worker ran unrelated tasks");
    }

    /** The control: without isolation the waiting worker helps with anything, and re-entry happens. */
    @Test
    void waitWithoutIsolation_runsUnrelatedTasksOnTheWaitingThread() throws Exception {
        Reentry reentry = runUnrelatedTasksWhileAnOuterTaskWaits(false);

        assertEquals(2 * UNRELATED, reentry.unrelatedDoneWhileOuterWaited, "the waiting worker should have helped");
        assertEquals(2 * UNRELATED, reentry.violations.get(),
                "every unrelated task ran inside the waiting outer task, holding its lock");
    }

    @Test
    void isolatedLoop_isStillStolenByOtherWorkers() {
        Scheduler scheduler = hygiene.newScheduler(2);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);

        scheduler.isolate(() -> Parallel.forRange(scheduler, 0, 1000, 1, (lo, hi) -> {
            threads.add(Thread.currentThread().getName());
            while (threads.size() < 2 && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
        }));

        assertEquals(2, threads.size(), () -> "isolation must restrict waiting, not parallelism: " + threads);
    }

    // ------------------------------------------------------------------ results

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void isolatedWork_givesTheSequentialResults(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        long expectedSum = 0;
        for (int i = 0; i < 100_000; i++) {
            expectedSum += (long) i * i % 7919;
        }
        long expected = expectedSum;

        long direct = scheduler.isolate(() -> Parallel.reduce(scheduler, 0, 100_000, 64, 0L, (lo, hi) -> {
            long partial = 0;
            for (int i = lo; i < hi; i++) {
                partial += (long) i * i % 7919;
            }
            return partial;
        }, Long::sum));
        LongAdder nested = new LongAdder();
        LongAdder cells = new LongAdder();
        Parallel.forRange(scheduler, 0, 32, 1, (a0, a1) -> {
            for (int a = a0; a < a1; a++) {
                int row = a;
                scheduler.isolate(() -> Parallel.forRange(scheduler, 0, 500, 7, (b0, b1) -> {
                    for (int b = b0; b < b1; b++) {
                        nested.add(row * 1000L + b);
                        cells.increment();
                    }
                }));
            }
        });

        assertEquals(expected, direct);
        long expectedNested = 0;
        for (int a = 0; a < 32; a++) {
            for (int b = 0; b < 500; b++) {
                expectedNested += a * 1000L + b;
            }
        }
        assertEquals(32 * 500, cells.sum());
        assertEquals(expectedNested, nested.sum());
    }

    // ------------------------------------------------------------------ calling conventions

    @Test
    void isolate_fromAnOutsideThread_runsTheBodyOnAWorkerAndReturnsItsValue() {
        Scheduler scheduler = hygiene.newScheduler(2);
        AtomicReference<String> runnableThread = new AtomicReference<>();

        String callableThread = scheduler.isolate(() -> Thread.currentThread().getName());
        scheduler.isolate(() -> runnableThread.set(Thread.currentThread().getName()));

        assertTrue(callableThread.startsWith(scheduler.name() + "-worker-"), callableThread);
        assertTrue(runnableThread.get().startsWith(scheduler.name() + "-worker-"), runnableThread.get());
        assertEquals(42, scheduler.isolate(() -> 42));
        assertEquals(43, scheduler.invoke(() -> scheduler.isolate(() -> 43)));
    }

    @Test
    void isolate_rethrowsUncheckedAsTheyAre_andWrapsChecked_fromOutsideAndInside() {
        Scheduler scheduler = hygiene.newScheduler(2);
        BodyFailures.assertRethrownAsThrown(scheduler, scheduler::isolate);
        assertThrows(NullPointerException.class, () -> scheduler.isolate((Runnable) null));
        assertThrows(NullPointerException.class, () -> scheduler.isolate((java.util.concurrent.Callable<Object>) null));
    }

    /**
     * After an isolated body throws, the worker must wait like any worker again: on one worker, a
     * task that joins a task queued from outside can only finish if its worker may run it.
     */
    @Test
    void afterTheIsolatedBodyThrows_theWorkerIsNoLongerIsolated() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(1);

        String result = BoundedWait.call(() -> scheduler.invoke(() -> {
            try {
                scheduler.isolate(() -> {
                    throw new IllegalStateException("isolated body fails");
                });
            } catch (IllegalStateException expected) {
                // the region must be restored here
            }
            AtomicReference<Task<String>> fromOutside = new AtomicReference<>();
            Thread submitter = new Thread(() -> fromOutside.set(scheduler.submit(() -> "ran")), "outside-submitter");
            submitter.start();
            BoundedWait.until(() -> fromOutside.get() != null, 10_000);
            return fromOutside.get().join();
        }), 10_000, scheduler.name());

        assertEquals("ran", result);
    }
}
