package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.ThreadStacks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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

    /** Rounds of short contention tried before the machine is declared too busy to test it. */
    private static final int SHORT_CONTENTION_ROUNDS = 20;

    private Scheduler oneWorker() {
        return hygiene.newScheduler(1);
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

    /**
     * The claim is about contention shorter than {@link StallMonitor#CONTENDED_CONFIRM_NANOS}. The
     * lock is held for 10 ms, but a busy machine stretches that when the holder, or the worker
     * woken to enter the monitor, waits for a core. The contender measures how long it could have
     * been seen {@code BLOCKED} (from its start to its entry, which bounds what the monitor saw);
     * a round in which that reached the confirmation time proves nothing and is repeated.
     */
    @Test
    void shortContentionOnAMonitor_startsNoStandIn() throws Exception {
        List<String> stretched = new ArrayList<>();
        for (int round = 0; round < SHORT_CONTENTION_ROUNDS; round++) {
            Scheduler scheduler = oneWorker();
            Object lock = new Object();
            AtomicLong startedAt = new AtomicLong();
            AtomicLong enteredAt = new AtomicLong();
            Future<Integer> contender;
            Future<Integer> queued;
            synchronized (lock) {
                contender = submitBlockedOn(lock, scheduler, startedAt, enteredAt);
                queued = scheduler.submit(() -> 41);            // work waits, as at a real start-up
                BoundedWait.busyFor(10_000);                     // 10 ms, a tenth of the confirmation time
            }
            assertEquals(1, getWithin(contender));
            assertEquals(41, getWithin(queued));
            long contendedNanos = enteredAt.get() - startedAt.get();
            if (contendedNanos < StallMonitor.CONTENDED_CONFIRM_NANOS) {
                assertEquals(0L, scheduler.stats().blockedWorkerDetections(),
                        () -> "contended for " + contendedNanos / 1_000 + " us: " + scheduler.stats());
                assertEquals(0, scheduler.stats().spareThreadsStarted(), scheduler.stats().toString());
                return;
            }
            stretched.add(contendedNanos / 1_000_000 + " ms");
            scheduler.close();
        }
        fail("every round's contention was stretched to the confirmation time or longer by the machine, so"
                + " none could show that short contention starts no stand-in: " + stretched);
    }

    /** Submits a task that enters {@code lock}, held by the caller, and waits until the worker is BLOCKED there. */
    private static Future<Integer> submitBlockedOn(Object lock, Scheduler scheduler) {
        return submitBlockedOn(lock, scheduler, new AtomicLong(), new AtomicLong());
    }

    /** The same, and the task records when it started and when it entered the monitor. */
    private static Future<Integer> submitBlockedOn(Object lock, Scheduler scheduler, AtomicLong startedAt,
                                                   AtomicLong enteredAt) {
        Future<Integer> contender = scheduler.submit(() -> {
            startedAt.set(System.nanoTime());
            synchronized (lock) {
                enteredAt.set(System.nanoTime());
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
