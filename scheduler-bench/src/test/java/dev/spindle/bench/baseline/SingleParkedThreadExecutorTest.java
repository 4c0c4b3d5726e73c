package dev.spindle.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjIntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The latency baseline runs every task it accepts, rejects what it cannot hold, and stops. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SingleParkedThreadExecutorTest {

    @Test
    void execute_afterTheThreadHasParked_runsEveryTask_oneAtATime() throws InterruptedException {
        SingleParkedThreadExecutor executor = new SingleParkedThreadExecutor();
        assertRunsEveryTaskAndStops(executor, 200, 50, (task, i) -> executor.execute(task));
        assertTrue(executor.isTerminated());
    }

    @Test
    void execute_whileATaskWaitsToStart_orAfterShutdown_isRejected() throws InterruptedException {
        SingleParkedThreadExecutor executor = new SingleParkedThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        executor.execute(() -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(running.await(10, TimeUnit.SECONDS));
            executor.execute(() -> { });                 // held in the slot while the first runs
            assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> { }));
        } finally {
            release.countDown();
            executor.shutdown();
        }
        assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> { }));
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void aTaskThatThrows_goesToTheHandler_andTheThreadRunsTheNext() throws InterruptedException {
        SingleParkedThreadExecutor executor = new SingleParkedThreadExecutor();
        CountDownLatch next = new CountDownLatch(1);
        try {
            executor.execute(() -> {
                throw new IllegalStateException("expected by the test");
            });
            executeOnceTheSlotFrees(executor, next::countDown, "the failing task");
            assertTrue(next.await(10, TimeUnit.SECONDS), "the thread died with the failing task");
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void aThreadThatStaysBusyAfterEachTask_stillRunsEveryTask_andStops() throws InterruptedException {
        SingleParkedThreadExecutor executor = new SingleParkedThreadExecutor(TimeUnit.MICROSECONDS.toNanos(5));
        assertRunsEveryTaskAndStops(executor, 100, 25,
                (task, i) -> executeOnceTheSlotFrees(executor, task, "task " + (i - 1)));
    }

    /**
     * Hands {@code count} tasks to {@code submit} one at a time, each after the one before has run
     * (sleeping first every {@code parkEvery}-th, so the thread has parked), then shuts down: every
     * task must run within 10 s and the executor must terminate.
     */
    private static void assertRunsEveryTaskAndStops(SingleParkedThreadExecutor executor, int count, int parkEvery,
                                                    ObjIntConsumer<Runnable> submit) throws InterruptedException {
        AtomicInteger ran = new AtomicInteger();
        try {
            for (int i = 0; i < count; i++) {
                CountDownLatch done = new CountDownLatch(1);
                if (i % parkEvery == 0) {
                    Thread.sleep(2);                     // let the thread park first
                }
                submit.accept(() -> {
                    ran.incrementAndGet();
                    done.countDown();
                }, i);
                assertTrue(done.await(10, TimeUnit.SECONDS), "task " + i + " never ran: a lost wake-up");
            }
        } finally {
            executor.shutdown();
        }
        assertEquals(count, ran.get());
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }

    /**
     * {@code execute(task)}, again while it is rejected because the task before ({@code previous})
     * still holds the slot; fails if it is still held after 10 s.
     */
    private static void executeOnceTheSlotFrees(SingleParkedThreadExecutor executor, Runnable task, String previous) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                executor.execute(task);
                return;
            } catch (RejectedExecutionException previousNotStartedYet) {
                assertTrue(System.nanoTime() - deadline < 0, previous + " never started");
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void aNegativeBusyTime_isRejected_namingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SingleParkedThreadExecutor(-1L));
        assertTrue(e.getMessage().contains("busyAfterTaskNanos") && e.getMessage().contains("-1"), e.getMessage());
    }
}
