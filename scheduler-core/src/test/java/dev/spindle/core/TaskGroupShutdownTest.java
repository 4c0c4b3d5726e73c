package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * R9 of docs/reliability.md for {@link TaskGroup}: a {@code spawn} rejected by a shut-down
 * scheduler leaves nothing for {@code close()} to wait for, and a {@code close()} after
 * {@code shutdownNow()} cancelled members says so with a {@link CancellationException} instead of
 * returning as if every member had run.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskGroupShutdownTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    /**
     * A one-worker scheduler whose worker a test holds in a blocking wait ({@link #holdTheWorker},
     * or a member that waits): without blocked worker detection, or the stall monitor would give
     * the held (blocked) worker a stand-in, which would run the members the test means to leave
     * queued.
     */
    private Scheduler heldScheduler() {
        return hygiene.track(Scheduler.builder().parallelism(1).detectBlockedWorkers(false)
                .name("held-" + System.nanoTime()).build());
    }

    private static CountDownLatch holdTheWorker(Scheduler scheduler) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        scheduler.submit(() -> {
            running.countDown();
            return release.await(20, TimeUnit.SECONDS);   // shutdownNow's interrupt also ends it
        });
        assertTrue(running.await(10, TimeUnit.SECONDS), "the holding task never started");
        return release;
    }

    private static void closeWithin(TaskGroup group, Scheduler scheduler) throws Exception {
        BoundedWait.call(() -> {
            group.close();
            return null;
        }, 5_000, scheduler.name());
    }

    @Test
    void spawnRejectedAfterShutdown_leavesNothingForCloseToWaitFor() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(1);
        AtomicInteger ran = new AtomicInteger();
        TaskGroup group = TaskGroup.open(scheduler);
        group.spawn(ran::incrementAndGet);               // accepted before the shutdown: runs
        scheduler.shutdown();

        assertThrows(RejectedExecutionException.class, () -> group.spawn(ran::incrementAndGet));

        closeWithin(group, scheduler);                   // before the fix: waited forever
        assertEquals(1, ran.get(), "the accepted member ran, the rejected one did not");
    }

    @Test
    void closeAfterShutdownNowCancelledMembers_throwsCancellationExceptionWithTheCount() throws Exception {
        Scheduler scheduler = heldScheduler();
        CountDownLatch release = holdTheWorker(scheduler);
        AtomicInteger ran = new AtomicInteger();
        int members = 1_000;
        TaskGroup group = TaskGroup.open(scheduler);
        for (int i = 0; i < members; i++) {
            group.spawn(ran::incrementAndGet);
        }

        scheduler.shutdownNow();
        release.countDown();

        CancellationException thrown = assertThrows(CancellationException.class, () -> closeWithin(group, scheduler));
        assertEquals(0, ran.get());
        assertNotNull(thrown.getMessage());
        assertTrue(thrown.getMessage().startsWith(members + " of " + members + " "),
                () -> "the message must say how many members never ran: " + thrown.getMessage());
        closeWithin(group, scheduler);                   // reported once; a second close does nothing
    }

    /** A member's own failure stays the exception close() throws; the cancellations come with it. */
    @Test
    void closeAfterAFailureAndShutdownNow_throwsTheFailureWithTheCancellationSuppressed() throws Exception {
        Scheduler scheduler = heldScheduler();           // the failing member blocks: no stand-in may run the second
        IllegalStateException boom = new IllegalStateException("member fails");
        CountDownLatch failed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TaskGroup group = TaskGroup.open(scheduler, TaskGroup.FailurePolicy.RUN_ALL);
        group.spawn(() -> {
            try {
                failed.countDown();
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException stoppedByShutdownNow) {
                // fall through to the failure
            }
            throw boom;
        });
        assertTrue(failed.await(10, TimeUnit.SECONDS), "the failing member never started");
        group.spawn(() -> { });                          // queued behind it: never runs

        scheduler.shutdownNow();
        release.countDown();

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> closeWithin(group, scheduler));
        assertSame(boom, thrown);
        Throwable suppressed = Arrays.stream(thrown.getSuppressed())
                .filter(CancellationException.class::isInstance).findFirst().orElse(null);
        assertInstanceOf(CancellationException.class, suppressed,
                () -> "the cancelled member is not reported: " + Arrays.toString(thrown.getSuppressed()));
        assertTrue(suppressed.getMessage().startsWith("1 of 2 "), suppressed.getMessage());
    }
}
