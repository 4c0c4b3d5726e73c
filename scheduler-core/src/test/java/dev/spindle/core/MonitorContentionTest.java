package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.ThreadStacks;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/design/blocking.md: a worker {@code BLOCKED} entering a monitor gets a stand-in only when
 * the contention lasts ({@link StallMonitor#CONTENDED_CONFIRM_NANOS}), so short contention — class
 * loading at start-up, a briefly held lock — starts no thread, while a holder that waits for work
 * queued behind the blocked worker still cannot hang the pool.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MonitorContentionTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final AtomicInteger SERIAL = new AtomicInteger();

    private Scheduler oneWorker() {
        return hygiene.track(Scheduler.builder().parallelism(1).name("monitor" + SERIAL.incrementAndGet()).build());
    }

    @Test
    void aWorkerBlockedOnAMonitorWhoseHolderWaitsForQueuedWork_getsAStandIn_andTheWorkFinishes() throws Exception {
        Scheduler scheduler = oneWorker();
        Object lock = new Object();
        Future<Integer> contender;
        Future<Integer> queued;
        synchronized (lock) {
            contender = submitBlockedOn(lock, scheduler);
            queued = scheduler.submit(() -> 41);
            // The holder waits for work queued behind the blocked worker: only a stand-in can run it.
            assertEquals(41, getWithin(queued));
        }
        assertEquals(1, getWithin(contender));
        assertTrue(scheduler.stats().blockedWorkerDetections() >= 1, scheduler.stats().toString());
    }

    @Test
    void shortContentionOnAMonitor_startsNoStandIn() throws Exception {
        Scheduler scheduler = oneWorker();
        Object lock = new Object();
        Future<Integer> contender;
        Future<Integer> queued;
        synchronized (lock) {
            contender = submitBlockedOn(lock, scheduler);
            queued = scheduler.submit(() -> 41);                // work waits, as at a real start-up
            BoundedWait.busyFor(10_000);                         // 10 ms, a tenth of the confirmation time
        }
        assertEquals(1, getWithin(contender));
        assertEquals(41, getWithin(queued));
        assertEquals(0L, scheduler.stats().blockedWorkerDetections(), scheduler.stats().toString());
        assertEquals(0, scheduler.stats().spareThreadsStarted(), scheduler.stats().toString());
    }

    /** Submits a task that enters {@code lock}, held by the caller, and waits until the worker is BLOCKED there. */
    private static Future<Integer> submitBlockedOn(Object lock, Scheduler scheduler) {
        Future<Integer> contender = scheduler.submit(() -> {
            synchronized (lock) {
                return 1;
            }
        });
        assertTrue(BoundedWait.until(() -> workerState(scheduler) == Thread.State.BLOCKED, 10_000),
                "the only worker never blocked on the monitor; threads:\n" + ThreadStacks.of(""));
        return contender;
    }

    private static Thread.State workerState(Scheduler scheduler) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(scheduler.name() + "-worker-1")) {
                return thread.getState();
            }
        }
        return null;
    }

    private static int getWithin(Future<Integer> future) throws Exception {
        try {
            return future.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException hung) {
            throw new AssertionError("a task did not finish within 20 s; threads:\n" + ThreadStacks.of(""), hung);
        }
    }
}
