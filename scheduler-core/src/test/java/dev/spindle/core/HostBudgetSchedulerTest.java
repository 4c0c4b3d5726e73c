package dev.spindle.core;

import dev.spindle.core.testing.BoundedWait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.internal.HostBudget;
import dev.spindle.core.internal.HostBudgetSetting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduler whose workers share a host budget, inside one JVM: never more tasks running than
 * tokens, no token kept by an idle pool, tasks that wait for a token are neither lost nor stuck
 * (tokens held elsewhere, then given back), blocking inside a task does not hang the pool, and a
 * pool whose workers wait for tokens still shuts down.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostBudgetSchedulerTest {

    @TempDir
    Path temp;

    private HostBudget budget(String name, int cores) {
        Map<String, String> properties = Map.of(HostBudgetSetting.PROPERTY, name,
                HostBudgetSetting.CORES_PROPERTY, Integer.toString(cores),
                "user.name", System.getProperty("user.name"), "java.io.tmpdir", temp.toString());
        return HostBudget.open(HostBudgetSetting.resolve(properties::get, variable -> null, 2));
    }

    private static Scheduler scheduler(HostBudget budget, int parallelism) {
        return Scheduler.builder().parallelism(parallelism).name("budgeted").hostBudget(budget).build();
    }

    private static void spinMicros(long micros) {
        long end = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void oneToken_neverTwoTasksAtOnce_andTheIdlePoolKeepsNone() throws Exception {
        HostBudget budget = budget("one", 1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        try (Scheduler scheduler = scheduler(budget, 3)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                futures.add(scheduler.submit(() -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    spinMicros(100);
                    running.decrementAndGet();
                    ran.incrementAndGet();
                }));
            }
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
            assertEquals(300, ran.get());
            assertEquals(1, peak.get(), "tasks running at once under a budget of one token");
            assertTrue(BoundedWait.until(() -> budget.heldByThisJvm() == 0, 10_000),
                    "an idle pool still holds " + budget.heldByThisJvm() + " tokens");
        }
    }

    private static int fib(Scheduler scheduler, int n) {
        if (n < 2) {
            return n;
        }
        Task<Integer> left = scheduler.fork(() -> fib(scheduler, n - 1));
        int right = fib(scheduler, n - 2);
        return left.join() + right;
    }

    @Test
    void forkJoin_underABudgetSmallerThanThePool_completes() throws Exception {
        HostBudget budget = budget("fib", 1);
        try (Scheduler scheduler = scheduler(budget, 2)) {
            for (int round = 0; round < 20; round++) {
                assertEquals(6765, (int) scheduler.invoke(() -> fib(scheduler, 20)));
            }
        }
        assertTrue(BoundedWait.until(() -> budget.heldByThisJvm() == 0, 10_000));
    }

    @Test
    void tokensHeldElsewhere_tasksWait_thenRunWhenTheyComeBack() throws Exception {
        HostBudget budget = budget("held", 2);
        int first = budget.tryAcquire();
        int second = budget.tryAcquire();
        assertTrue(first >= 0 && second >= 0);
        AtomicInteger ran = new AtomicInteger();
        try (Scheduler scheduler = scheduler(budget, 2)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(scheduler.submit(ran::incrementAndGet));
            }
            Thread.sleep(200);
            assertEquals(0, ran.get(), "a task ran without a token");
            budget.release(first);
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
            assertEquals(50, ran.get());
        } finally {
            budget.release(second);
        }
    }

    @Test
    void aTaskBlockedOnALaterTask_doesNotHangThePool() throws Exception {
        HostBudget budget = budget("blocked", 1);
        try (Scheduler scheduler = scheduler(budget, 2)) {
            for (int round = 0; round < 5; round++) {
                CountDownLatch latch = new CountDownLatch(1);
                Future<?> waiter = scheduler.submit(() -> {
                    latch.await();
                    return null;
                });
                Thread.sleep(20);                        // let the waiter take the only token
                Future<?> releaser = scheduler.submit(latch::countDown);
                releaser.get(30, TimeUnit.SECONDS);
                waiter.get(30, TimeUnit.SECONDS);
            }
            // The same with managedBlock, where the stand-in is asked for at once.
            CountDownLatch latch = new CountDownLatch(1);
            Future<?> waiter = scheduler.submit(() -> {
                Scheduler.managedBlock(() -> {
                    latch.await();
                    return null;
                });
                return null;
            });
            Thread.sleep(20);
            scheduler.submit(latch::countDown).get(30, TimeUnit.SECONDS);
            waiter.get(30, TimeUnit.SECONDS);
        }
        assertTrue(BoundedWait.until(() -> budget.heldByThisJvm() == 0, 10_000));
    }

    @Test
    void workersWaitingForTokens_stillShutDown() throws Exception {
        HostBudget budget = budget("stopped", 1);
        int token = budget.tryAcquire();
        assertTrue(token >= 0);
        try {
            Scheduler scheduler = scheduler(budget, 2);
            for (int i = 0; i < 10; i++) {
                scheduler.execute(() -> { });
            }
            Thread.sleep(50);                            // the workers now wait for the token
            List<Runnable> neverRan = scheduler.shutdownNow();
            assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS), "workers waiting for a token did not exit");
            assertTrue(neverRan.size() >= 8, "returned " + neverRan.size());
        } finally {
            budget.release(token);
        }
    }
}
