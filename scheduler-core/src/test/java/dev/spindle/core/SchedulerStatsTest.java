package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * R17 of docs/reliability.md: every counter of {@link SchedulerStats} matches its Javadoc, and a
 * stuck pool is visible in {@code toString()} (blocked workers and stand-ins).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SchedulerStatsTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    @Test
    void nestedManagedBlock_neverMakesActiveWorkersNegative_andCountsTheWorkerOnce() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> nested = scheduler.submit(() -> Scheduler.managedBlock(() -> Scheduler.managedBlock(() -> {
            inside.countDown();
            release.await(20, TimeUnit.SECONDS);
            return 1;
        })));
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        SchedulerStats during = scheduler.stats();
        assertEquals(1, during.blockedWorkers(), during::toString);
        assertTrue(during.activeWorkers() >= 0, during::toString);
        assertTrue(scheduler.toString().contains("blocked=1"), scheduler::toString);
        release.countDown();
        assertEquals(1, nested.get(10, TimeUnit.SECONDS));
        assertTrue(BoundedWait.until(() -> scheduler.stats().activeWorkers() == 0
                && scheduler.stats().blockedWorkers() == 0, 10_000), () -> scheduler.stats().toString());
    }

    @Test
    void outsideSubmissions_countTasksSubmittedThroughArenas() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        Arena arena = Arena.builder().scheduler(scheduler).maxConcurrency(1).build();
        ExecutorService executor = arena.asExecutorService();
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            futures.add(executor.submit(() -> 1));
        }
        for (Future<Integer> future : futures) {
            future.get(10, TimeUnit.SECONDS);
        }
        arena.execute(() -> 1);
        scheduler.submit(() -> 1).get(10, TimeUnit.SECONDS);
        assertEquals(162, scheduler.stats().outsideSubmissions(), scheduler.stats()::toString);
    }

    @Test
    void aBlockedPool_showsItsBlockedWorkersAndStandInsInToString_andPeakStaysWithinItsDocumentedBound()
            throws Exception {
        int parallelism = 2;
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(parallelism);
        List<Future<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            tasks.add(scheduler.submit(() -> {
                blocked.countDown();
                return release.await(20, TimeUnit.SECONDS);   // blocked, without managedBlock
            }));
        }
        assertTrue(blocked.await(10, TimeUnit.SECONDS));
        Future<Integer> queued = scheduler.submit(() -> 42);  // work waits: the blocked get stand-ins
        assertEquals(42, queued.get(10, TimeUnit.SECONDS), () -> "no stand-in ran the queued task: " + scheduler);
        SchedulerStats stats = scheduler.stats();
        // at least the worker found blocked while the task waited (the other gets no stand-in
        // once nothing waits any more)
        assertTrue(stats.blockedWorkers() >= 1, stats::toString);
        assertTrue(stats.activeSpareWorkers() >= 1, stats::toString);
        assertTrue(stats.blockedWorkerDetections() >= 1, stats::toString);
        assertTrue(scheduler.toString().matches(".*blocked=[1-9].*stand-ins=[1-9].*"), scheduler::toString);
        release.countDown();
        for (Future<Boolean> task : tasks) {
            assertTrue(task.get(10, TimeUnit.SECONDS));
        }
        assertTrue(BoundedWait.until(() -> scheduler.stats().blockedWorkers() == 0
                && scheduler.stats().activeSpareWorkers() == 0, 10_000), () -> scheduler.stats().toString());
        // the documented bound: parallelism, plus one per stand-in that finishes its task after
        // the worker it stood in for resumed
        assertTrue(scheduler.stats().peakActiveWorkers() <= parallelism + scheduler.stats().spareThreadsStarted(),
                () -> scheduler.stats().toString());
    }
}
