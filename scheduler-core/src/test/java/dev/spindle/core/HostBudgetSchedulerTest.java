package dev.spindle.core;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.ForkedFibonacci;
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
 * (tokens held elsewhere, then given back), blocking inside a task does not hang the pool, a
 * stand-in needs a share of the budget like any worker, and a pool whose workers wait for tokens
 * still shuts down.
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
                    BoundedWait.busyFor(100);
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

    @Test
    void forkJoin_underABudgetSmallerThanThePool_completes() throws Exception {
        HostBudget budget = budget("fib", 1);
        try (Scheduler scheduler = scheduler(budget, 2)) {
            for (int round = 0; round < 20; round++) {
                assertEquals(6765L, scheduler.invoke(() -> ForkedFibonacci.of(scheduler, 20)));
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

    /**
     * The bound with stand-ins: a worker blocks holding the only token while tasks queue, so a
     * waiting worker borrows its token and the stall monitor starts a stand-in for it. Both may
     * not run at once: the stand-in needs a share as well, and the blocked worker's is taken.
     */
    @Test
    void aBorrowerAndAStandIn_forOneBlockedHolder_neverRunTwoTasksAtOnce() throws Exception {
        HostBudget budget = budget("stand-in", 1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        try (Scheduler scheduler = scheduler(budget, 2)) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> holder = scheduler.submit(() -> {
                started.countDown();
                release.await();                         // blocked, not in managedBlock: the monitor finds it
                return null;
            });
            assertTrue(started.await(10, TimeUnit.SECONDS), "the holder did not start");
            List<Future<?>> spinners = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                spinners.add(scheduler.submit(() -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    BoundedWait.busyFor(2_000);
                    running.decrementAndGet();
                }));
            }
            for (Future<?> spinner : spinners) {
                spinner.get(30, TimeUnit.SECONDS);
            }
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            assertEquals(1, peak.get(), "tasks running at once on one token (one holder blocked)");
        }
        assertTrue(BoundedWait.until(() -> budget.heldByThisJvm() == 0, 10_000));
    }

    /**
     * A chain of blocked workers on one token: the worker holding it blocks, its stand-in borrows
     * the token and blocks too, and the next stand-in borrows from the blocked borrower, so the
     * task that releases them all still runs.
     */
    @Test
    void aStandInThatBlocksOnABorrowedShare_lendsItOn_andTheChainCompletes() throws Exception {
        HostBudget budget = budget("chain", 1);
        try (Scheduler scheduler = scheduler(budget, 1)) {
            for (int round = 0; round < 3; round++) {
                CountDownLatch first = new CountDownLatch(1);
                CountDownLatch second = new CountDownLatch(1);
                Future<?> a = scheduler.submit(() -> {
                    first.await();
                    return null;
                });
                Future<?> b = scheduler.submit(() -> {
                    second.await();
                    return null;
                });
                Future<?> c = scheduler.submit(() -> {
                    second.countDown();
                    first.countDown();
                });
                c.get(30, TimeUnit.SECONDS);
                b.get(30, TimeUnit.SECONDS);
                a.get(30, TimeUnit.SECONDS);
            }
        }
        assertTrue(BoundedWait.until(() -> budget.heldByThisJvm() == 0, 10_000));
    }

    /**
     * Counting blocked shares walks every worker; with every worker of a large pool waiting for a
     * token, one walk per waiter per poll would grow with the square of the pool. One walk serves
     * every caller for {@link PoolBudget#COUNT_REUSE_MICROS} µs, and the count still follows a
     * worker that blocks.
     */
    @Test
    void blockedShares_walksTheWorkersAtMostOncePerPeriod_andSeesAWorkerThatBlocks() throws Exception {
        HostBudget budget = budget("count", 1);
        try (Scheduler scheduler = scheduler(budget, 2)) {
            PoolBudget pool = scheduler.pool().budget;
            long walksBefore = pool.walks();
            long start = System.nanoTime();
            for (int i = 0; i < 100_000; i++) {
                assertEquals(0, pool.blockedShares());
            }
            long elapsed = System.nanoTime() - start;
            long walks = pool.walks() - walksBefore;
            // Each walk after the first starts at least one period after the one before.
            long allowed = 1 + elapsed / TimeUnit.MICROSECONDS.toNanos(PoolBudget.COUNT_REUSE_MICROS);
            assertTrue(walks >= 1 && walks <= allowed, walks + " walks in " + elapsed + " ns, at most " + allowed);

            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            Future<?> holder = scheduler.submit(() -> {
                holding.countDown();
                release.await();                         // blocked, on the only token
                return null;
            });
            assertTrue(holding.await(30, TimeUnit.SECONDS));
            assertTrue(BoundedWait.until(() -> pool.blockedShares() == 1, 10_000),
                    "the blocked holder was never counted");
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            assertTrue(BoundedWait.until(() -> pool.blockedShares() == 0, 10_000),
                    "the holder that resumed was still counted");
        }
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
