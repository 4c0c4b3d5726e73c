package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * R15 of docs/reliability.md: a thread that cannot be started (here a starter that throws what
 * the JVM throws, {@code OutOfMemoryError: unable to create native thread}) is rolled back. For a
 * regular worker at {@code build()}: the build fails with that error and leaves no thread. For a
 * stand-in: the blocking call still runs, counters stay exact, and the pool still terminates.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StartFailureTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    /** Starts the first {@code allowed} threads, then throws as the JVM does when it has no room. */
    private static WorkerPool.ThreadStarter failingAfter(int allowed, AtomicInteger attempts) {
        return thread -> {
            if (attempts.incrementAndGet() > allowed) {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory (simulated)");
            }
            thread.start();
        };
    }

    private static List<Thread> liveThreadsNamed(String prefix) {
        List<Thread> live = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().startsWith(prefix)) {
                live.add(thread);
            }
        }
        return live;
    }

    @Test
    void build_whenTheThirdWorkerCannotStart_throwsThatError_andLeavesNoThread() {
        String name = SchedulerHygiene.uniqueName("startfail");
        AtomicInteger attempts = new AtomicInteger();
        OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class, () -> Scheduler.builder()
                .parallelism(4).name(name).threadStarter(failingAfter(2, attempts)).build());
        assertTrue(thrown.getMessage().contains("unable to create native thread"), thrown.getMessage());
        assertTrue(BoundedWait.until(() -> liveThreadsNamed(name + "-").isEmpty(), 10_000),
                () -> "threads of the failed build still alive: " + liveThreadsNamed(name + "-"));
    }

    @Test
    void build_whenTheMonitorCannotStart_throwsThatError_andLeavesNoThread() {
        String name = SchedulerHygiene.uniqueName("startfail");
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(OutOfMemoryError.class, () -> Scheduler.builder()
                .parallelism(2).name(name).threadStarter(failingAfter(2, attempts)).build());
        assertEquals(3, attempts.get(), "two workers, then the monitor");
        assertTrue(BoundedWait.until(() -> liveThreadsNamed(name + "-").isEmpty(), 10_000),
                () -> "threads of the failed build still alive: " + liveThreadsNamed(name + "-"));
    }

    @Test
    void managedBlock_whenNoStandInCanStart_stillRunsTheCall_andCountersStayExact() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        // two workers and the monitor start; every spare fails
        Scheduler scheduler = hygiene.track(Scheduler.builder().parallelism(2)
                .name(SchedulerHygiene.uniqueName("startfail")).threadStarter(failingAfter(3, attempts)).build());
        Object marker = new Object();
        Object result = scheduler.submit(() -> Scheduler.managedBlock(() -> marker)).get(10, TimeUnit.SECONDS);
        assertSame(marker, result, "the blocking call must run even without a stand-in");
        assertTrue(attempts.get() >= 4, "a stand-in was never tried: " + attempts.get());

        // nested, throwing and repeated managed blocks keep the counters exact
        for (int i = 0; i < 100; i++) {
            assertEquals(7, scheduler.submit(() -> Scheduler.managedBlock(() -> Scheduler.managedBlock(() -> 7)))
                    .get(10, TimeUnit.SECONDS));
        }
        assertTrue(BoundedWait.until(() -> scheduler.stats().activeWorkers() == 0
                        && scheduler.stats().blockedWorkers() == 0, 10_000),
                () -> "counters did not return to zero: " + scheduler.stats());
        SchedulerStats stats = scheduler.stats();
        assertEquals(0, stats.activeSpareWorkers(), stats::toString);
        assertEquals(0, stats.spareThreadsStarted(), stats::toString);
        assertTrue(stats.peakActiveWorkers() <= 2, stats::toString);

        scheduler.close();
        assertTrue(scheduler.isTerminated(), "close() must terminate after failed stand-ins");
    }

    @Test
    void detectedBlocking_whenNoStandInCanStart_keepsTrying_andRunsTheWorkOnceAThreadCanStart()
            throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger allowed = new AtomicInteger(2);    // the worker and the monitor
        Scheduler scheduler = hygiene.track(Scheduler.builder().parallelism(1)
                .name(SchedulerHygiene.uniqueName("startfail"))
                .threadStarter(thread -> {
                    if (attempts.incrementAndGet() > allowed.get()) {
                        throw new OutOfMemoryError("unable to create native thread (simulated)");
                    }
                    thread.start();
                }).build());
        CountDownLatch sibling = new CountDownLatch(1);
        Future<Boolean> outer = scheduler.submit(() -> {
            scheduler.execute(sibling::countDown);        // queued on this worker's deque
            return sibling.await(30, TimeUnit.SECONDS);   // blocked: only a stand-in can run it
        });
        assertTrue(BoundedWait.until(() -> attempts.get() >= 4, 10_000),
                () -> "the monitor did not retry the stand-in: " + attempts.get() + " attempts");
        allowed.set(Integer.MAX_VALUE);                   // threads can be created again
        assertTrue(outer.get(20, TimeUnit.SECONDS), "the sibling never ran");
        scheduler.close();
        assertTrue(scheduler.isTerminated());
    }
}
