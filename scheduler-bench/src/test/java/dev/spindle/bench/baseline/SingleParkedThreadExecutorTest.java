package dev.spindle.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The latency baseline runs every task it accepts, rejects what it cannot hold, and stops. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SingleParkedThreadExecutorTest {

    @Test
    void execute_afterTheThreadHasParked_runsEveryTask_oneAtATime() throws InterruptedException {
        SingleParkedThreadExecutor executor = new SingleParkedThreadExecutor();
        AtomicInteger ran = new AtomicInteger();
        try {
            for (int i = 0; i < 200; i++) {
                CountDownLatch done = new CountDownLatch(1);
                if (i % 50 == 0) {
                    Thread.sleep(2);                     // let the thread park first
                }
                executor.execute(() -> {
                    ran.incrementAndGet();
                    done.countDown();
                });
                assertTrue(done.await(10, TimeUnit.SECONDS), "task " + i + " never ran: a lost wake-up");
            }
        } finally {
            executor.shutdown();
        }
        assertEquals(200, ran.get());
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
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
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    executor.execute(next::countDown);
                    break;
                } catch (RejectedExecutionException previousNotStartedYet) {
                    assertTrue(System.nanoTime() < deadline, "the failing task never started");
                    Thread.onSpinWait();
                }
            }
            assertTrue(next.await(10, TimeUnit.SECONDS), "the thread died with the failing task");
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void aThreadThatStaysBusyAfterEachTask_stillRunsEveryTask_andStops() throws InterruptedException {
        SingleParkedThreadExecutor executor = new SingleParkedThreadExecutor(TimeUnit.MICROSECONDS.toNanos(5));
        AtomicInteger ran = new AtomicInteger();
        try {
            for (int i = 0; i < 100; i++) {
                CountDownLatch done = new CountDownLatch(1);
                if (i % 25 == 0) {
                    Thread.sleep(2);                     // let the thread park first
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (true) {
                    try {
                        executor.execute(() -> {
                            ran.incrementAndGet();
                            done.countDown();
                        });
                        break;
                    } catch (RejectedExecutionException previousNotStartedYet) {
                        assertTrue(System.nanoTime() < deadline, "task " + (i - 1) + " never started");
                        Thread.onSpinWait();
                    }
                }
                assertTrue(done.await(10, TimeUnit.SECONDS), "task " + i + " never ran: a lost wake-up");
            }
        } finally {
            executor.shutdown();
        }
        assertEquals(100, ran.get());
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void aNegativeBusyTime_isRejected_namingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SingleParkedThreadExecutor(-1L));
        assertTrue(e.getMessage().contains("busyAfterTaskNanos") && e.getMessage().contains("-1"), e.getMessage());
    }
}
